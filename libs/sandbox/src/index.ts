export * from './errors';
export * from './limits';
export { Semaphore } from './semaphore';
export {
  SandboxRunner,
  createSandbox,
  sandboxEnv,
  classifyStop,
  parseStatus,
  type SandboxOptions,
  type IsolationReport,
  type MechanismProbe,
  type MechanismName,
  type RunOptions,
} from './runner';
export { SANDBOX_DIR, MAIN_FILE } from './isolation/mechanisms';
export { isolationWarnings, type IsolationFacts } from './isolation/warnings';
export { seccompProgram, deniedSyscalls } from './isolation/seccomp';
export { findPython, type PythonInfo } from './python';
export { createSandboxActivities, SANDBOX_TASK_QUEUE, type SandboxActivities, type SandboxActivitiesOptions } from './activity';
export * from './scorers';
