export { WORKSPACE_ROOT, WORKFLOWS_ENTRY, workspaceAliases, workflowBundleOptions, workerWorkflowOptions } from './bundle-options';
export { temporalTlsFromEnv } from './tls-from-env';
export { chainHistories, readSession, runInput, type ChainRun, type SessionReadout } from './session-reader';
