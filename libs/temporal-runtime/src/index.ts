export { WORKSPACE_ROOT, WORKFLOWS_ENTRY, workspaceAliases, workflowBundleOptions, workerWorkflowOptions } from './bundle-options';
export { temporalTlsFromEnv } from './tls-from-env';
export { readSession, runInput, type SessionReadout } from './session-reader';
export {
  replayWorkflowChain,
  workflowChainHistories,
  type ReplayChainOptions,
  type ReplayChainResult,
  type ChainRun,
} from './replay-chain';
export { activityCalls, type ActivityCall } from './activity-calls';
