export { extractCode, type ExtractCodeOptions } from './sanitize';
export { passAtK, meanPassAtK } from './pass-at-k';
export { runCheckProgram, verdict, type RunCode, type RunSummary, type CheckOutcome, type CheckOptions, type CheckProgram } from './check';
export { replayElseCheck, runReplayCheck, type ReplaySpec, type ReplayOutcome, type VerdictPath } from './replay';
export { isPlainValue, isCallResult, type PlainValue, type CallResult } from './plain-value';
export { humanEvalProgram, scoreHumanEval, type HumanEvalItem, type HumanEvalOptions } from './humaneval';
export { mbppProgram, scoreMbpp, type MbppItem, type MbppOptions } from './mbpp';
export {
  scoreApps,
  appsAggregate,
  appsModeOf,
  appsFunctionName,
  type AppsItem,
  type AppsTest,
  type AppsMode,
  type AppsOutcome,
  type AppsOptions,
  type AppsTestResult,
  type AppsTestDetail,
} from './apps';
export {
  scoreDs1000,
  ds1000Postprocess,
  ds1000Program,
  ds1000RequiredModules,
  ds1000Runnable,
  probePythonModules,
  DS1000_LIBRARY_MODULES,
  type Ds1000Item,
  type Ds1000Options,
  type ModuleAvailability,
} from './ds1000';
export { codeTestsVerdict, type CodeTestsInput, type CodeTestsVerdict } from './code-tests';
