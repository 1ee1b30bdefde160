import { createHash } from 'node:crypto';
import { Client, Connection, type WorkflowExecutionDescription, type WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { NotFoundException, type OnApplicationShutdown } from '@nestjs/common';
import { SA } from '@flowsteer/contracts';
import type { ApiConfig } from '../app/config';
import { assertAccess, type Access } from '../auth/ownership';
import { TokenSigner } from '../auth/signed-token';
import { validationFailed } from '../common/zod-validation.pipe';

const PAGE_TOKEN_PURPOSE = 'page';

export interface ExecutionPage {
  executions: WorkflowExecutionInfo[];
  /** Opaque signed token for the next page, bound to the query; absent on the last page. */
  nextPageToken?: string;
}

/** The `FlowSteerOwner` of a described or listed workflow. */
export function ownerOf(info: Pick<WorkflowExecutionInfo, 'typedSearchAttributes'>): string | undefined {
  return info.typedSearchAttributes.get(SA.owner);
}

/**
 * The one Temporal client of the process. The connection is lazy, so the API starts (and answers
 * /healthz, and 503 elsewhere) while Temporal is still down, and recovers once it is back.
 */
export class TemporalService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;
  /** Signs page tokens (and stream tokens, see SessionsService). */
  readonly signer: TokenSigner;

  constructor(readonly config: ApiConfig) {
    this.signer = new TokenSigner(config.signingKey);
    this.connection = Connection.lazy({ address: config.temporalAddress, tls: config.temporalTls, connectTimeout: '5s' });
    this.client = new Client({ connection: this.connection, namespace: config.temporalNamespace });
  }

  get namespace(): string {
    return this.client.options.namespace;
  }

  uiLink(workflowId: string): string {
    return `${this.config.temporalUiUrl}/namespaces/${encodeURIComponent(this.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  }

  /** Runs a call that waits on a worker (query, update) with the configured deadline. */
  withQueryDeadline<T>(fn: () => Promise<T>): Promise<T> {
    return this.connection.withDeadline(Date.now() + this.config.queryTimeoutMs, fn);
  }

  /**
   * Describes a workflow, checks it is of the expected type (a session id is no training run) and
   * that the caller may read or change it (ownership, see auth/ownership.ts).
   */
  async describe(workflowId: string, workflowType: string, noun: string, access: Access): Promise<WorkflowExecutionDescription> {
    const description = await this.client.workflow.getHandle(workflowId).describe();
    if (description.type !== workflowType) throw new NotFoundException(`no ${noun} with id "${workflowId}"`);
    assertAccess(access, ownerOf(description), noun, workflowId);
    return description;
  }

  /**
   * One page of a visibility query. Temporal's page token travels signed and bound to the query, so
   * a token that was altered, made up or taken from another list is a 400 at once (and can never
   * widen what the caller may list).
   */
  async list(query: string, pageSize: number, pageToken?: string): Promise<ExecutionPage> {
    const bound = createHash('sha256').update(query).digest('base64url').slice(0, 22);
    let temporalToken: Buffer | undefined;
    if (pageToken) {
      const payload = this.signer.verify<{ q: string; t: string }>(PAGE_TOKEN_PURPOSE, pageToken);
      if (!payload || payload.q !== bound || typeof payload.t !== 'string') {
        throw validationFailed('query string', [
          {
            field: 'pageToken',
            message: 'not a page token of this list: pass back the nextPageToken of the previous page, unchanged, with the same filters',
          },
        ]);
      }
      temporalToken = Buffer.from(payload.t, 'base64url');
    }
    const response = await this.client.workflowService.listWorkflowExecutions({
      namespace: this.namespace,
      query,
      pageSize,
      nextPageToken: temporalToken,
    });
    const executions = await Promise.all(
      (response.executions ?? []).map((raw) => executionInfoFromRaw(raw, this.client.options.loadedDataConverter, raw, this.namespace)),
    );
    const next = response.nextPageToken?.length
      ? this.signer.sign(PAGE_TOKEN_PURPOSE, { q: bound, t: Buffer.from(response.nextPageToken).toString('base64url') })
      : undefined;
    return { executions, ...(next ? { nextPageToken: next } : {}) };
  }

  /** Readiness: the frontend answers a cheap call within two seconds. */
  async ping(): Promise<void> {
    await this.connection.withDeadline(Date.now() + 2000, () => this.client.workflowService.getSystemInfo({}));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
