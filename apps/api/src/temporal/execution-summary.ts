import type { WorkflowExecutionInfo } from '@temporalio/client';
import { SA, effectiveSessionStatus } from '@flowsteer/contracts';

/** What lists and detail pages show of one workflow execution. */
export interface ExecutionSummary {
  id: string;
  runId: string;
  type: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT, CONTINUED_AS_NEW. */
  executionStatus: string;
  startTime: string;
  closeTime?: string;
  taskQueue: string;
  /** FlowSteer* search attributes that are set. */
  attributes: {
    dataset?: string;
    taskType?: string;
    policyVersion?: string;
    run?: string;
    score?: number;
    turns?: number;
    status?: string;
    /** The principal that started it (FlowSteerOwner). */
    owner?: string;
  };
  memo?: Record<string, unknown>;
  ui: string;
}

export function executionSummary(info: Omit<WorkflowExecutionInfo, 'raw'>, ui: string): ExecutionSummary {
  const sa = info.typedSearchAttributes;
  const attributes: ExecutionSummary['attributes'] = Object.fromEntries(
    Object.entries(SA).flatMap(([name, key]) => {
      const value = sa.get(key as never) as unknown;
      return value === undefined ? [] : [[name, value]];
    }),
  );
  // a run the server ended never set its own terminal status: say how it really ended
  const status = effectiveSessionStatus(info.status.name, attributes.status);
  if (status !== undefined) attributes.status = status;
  return {
    id: info.workflowId,
    runId: info.runId,
    type: info.type,
    executionStatus: info.status.name,
    startTime: info.startTime.toISOString(),
    ...(info.closeTime ? { closeTime: info.closeTime.toISOString() } : {}),
    taskQueue: info.taskQueue,
    attributes,
    ...(info.memo && Object.keys(info.memo).length ? { memo: info.memo } : {}),
    ui,
  };
}
