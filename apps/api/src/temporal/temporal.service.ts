import { Client, Connection, type WorkflowExecutionDescription, type WorkflowExecutionInfo } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { NotFoundException, type OnApplicationShutdown } from '@nestjs/common';
import type { ApiConfig } from '../app/config';

export interface ExecutionPage {
  executions: WorkflowExecutionInfo[];
  /** Opaque token for the next page (base64url), absent on the last page. */
  nextPageToken?: string;
}

/**
 * The one Temporal client of the process. The connection is lazy, so the API starts (and answers
 * /healthz, and 503 elsewhere) while Temporal is still down, and recovers once it is back.
 */
export class TemporalService implements OnApplicationShutdown {
  readonly connection: Connection;
  readonly client: Client;

  constructor(readonly config: ApiConfig) {
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

  /** Describes a workflow and checks it is of the expected type: a session id is no training run. */
  async describe(workflowId: string, workflowType: string, noun: string): Promise<WorkflowExecutionDescription> {
    const description = await this.client.workflow.getHandle(workflowId).describe();
    if (description.type !== workflowType) throw new NotFoundException(`no ${noun} with id "${workflowId}" (it is a ${description.type} workflow)`);
    return description;
  }

  /** One page of a visibility query, with Temporal's own page token passed through. */
  async list(query: string, pageSize: number, pageToken?: string): Promise<ExecutionPage> {
    const response = await this.client.workflowService.listWorkflowExecutions({
      namespace: this.namespace,
      query,
      pageSize,
      nextPageToken: pageToken ? Buffer.from(pageToken, 'base64url') : undefined,
    });
    const executions = await Promise.all(
      (response.executions ?? []).map((raw) => executionInfoFromRaw(raw, this.client.options.loadedDataConverter, raw, this.namespace)),
    );
    const token = response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
    return { executions, ...(token ? { nextPageToken: token } : {}) };
  }

  /** Readiness: the frontend answers a cheap call within two seconds. */
  async ping(): Promise<void> {
    await this.connection.withDeadline(Date.now() + 2000, () => this.client.workflowService.getSystemInfo({}));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
