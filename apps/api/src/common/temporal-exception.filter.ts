import { Catch, HttpException, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import {
  QueryNotRegisteredError,
  QueryRejectedError,
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors?: { field: string; message: string }[];
}

/** gRPC status codes (google.rpc.Code) the API translates. */
const GRPC = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
} as const;

function grpcCode(err: unknown): number | undefined {
  if (isGrpcServiceError(err)) return err.code;
  if (err instanceof ServiceError && isGrpcServiceError(err.cause)) return err.cause.code;
  if (err instanceof Error && /Failed to connect before the deadline|connect ECONNREFUSED/.test(err.message)) return GRPC.UNAVAILABLE;
  return undefined;
}

function grpcDetail(err: unknown): string {
  const source = err instanceof ServiceError && err.cause ? err.cause : err;
  return isGrpcServiceError(source) ? source.details || source.message : (source as Error).message;
}

/** http-errors as body-parser throws them (413 too large, 400 bad JSON, 415 charset): safe to show. */
function isClientHttpError(err: unknown): err is { status: number; type?: string; limit?: number; message: string } {
  const e = err as { status?: unknown; expose?: unknown } | null;
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true;
}

function body(status: number, message: string): ErrorBody {
  return {
    statusCode: status,
    error:
      HttpStatus[status]
        ?.split('_')
        .map((w) => w[0] + w.slice(1).toLowerCase())
        .join(' ') ?? 'Error',
    message,
  };
}

/**
 * Turns Temporal and Nest errors into clear HTTP answers: unknown workflow 404, duplicate id 409,
 * Temporal unreachable 503, no worker answered in time 504, rejected human action 422; everything
 * Nest already knows (validation 400, auth 401/403, 413) passes through with its own status.
 */
export function toHttpError(err: unknown): ErrorBody {
  if (err instanceof HttpException) {
    const response = err.getResponse();
    return typeof response === 'object'
      ? { ...body(err.getStatus(), err.message), ...(response as object) }
      : body(err.getStatus(), String(response));
  }
  if (isClientHttpError(err))
    return body(err.status, err.type === 'entity.too.large' ? `request body too large (limit ${err.limit} bytes)` : err.message);
  if (err instanceof WorkflowNotFoundError) return body(404, `no workflow with id "${err.workflowId}"`);
  if (err instanceof WorkflowExecutionAlreadyStartedError)
    return body(409, `a workflow with id "${err.workflowId}" already exists; choose another id suffix`);
  if (err instanceof QueryNotRegisteredError) return body(409, `the workflow does not answer this query (${err.message})`);
  if (err instanceof QueryRejectedError) return body(409, `the workflow rejected the query (${err.message})`);
  if (err instanceof WorkflowUpdateFailedError) return body(422, `the action was rejected: ${err.cause?.message ?? err.message}`);
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return body(504, 'no worker took the action in time; is a worker running on the session task queue?');
  switch (grpcCode(err)) {
    case GRPC.NOT_FOUND:
      return body(404, grpcDetail(err));
    case GRPC.ALREADY_EXISTS:
      return body(409, grpcDetail(err));
    case GRPC.INVALID_ARGUMENT:
      return body(400, grpcDetail(err));
    case GRPC.FAILED_PRECONDITION:
      return body(409, grpcDetail(err));
    case GRPC.DEADLINE_EXCEEDED:
      return body(504, 'no worker answered in time; is a worker running on the session task queue?');
    case GRPC.UNAVAILABLE:
      return body(503, 'Temporal is unreachable; try again when /readyz answers 200');
    default:
      return body(500, 'internal error; the server log has the details');
  }
}

@Catch()
export class TemporalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<{ headersSent: boolean; status(code: number): { json(body: unknown): void }; end(): void }>();
    const req = http.getRequest<{ method: string; originalUrl?: string; url: string }>();
    const answer = toHttpError(err);
    if (answer.statusCode >= 500) {
      this.logger.error(`${req.method} ${req.originalUrl ?? req.url} -> ${answer.statusCode}: ${(err as Error)?.stack ?? String(err)}`);
    }
    if (res.headersSent) return res.end();
    res.status(answer.statusCode).json(answer);
  }
}
