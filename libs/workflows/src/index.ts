// The workflow bundle's entry point: export workflow functions only.
//
// Each workflow loads its own modules when it starts, not every workflow's: the worker reuses one
// V8 context and gives every workflow execution fresh module instances, so whatever this entry
// imports is evaluated again at every start. Importing all four eagerly made each session start
// build the training and run-start schemas it never uses (~13 ms of the workflow thread a start,
// #18). `webpackMode: "eager"` keeps the modules in the one bundle; only their evaluation waits.
// Workflow options (versioning behaviour) go on these exported functions: the SDK reads them there.
import type * as CanvasSession from './canvas-session/canvas-session';
import type * as CwrpoTraining from './cwrpo-training/cwrpo-training';
import type * as EvalRun from './eval-run/eval-run';
import type * as HealthCheck from './health-check';
import { setWorkflowOptions } from '@temporalio/workflow';
import { trainingVersioning } from './cwrpo-training/versioning';

type Workflow<F extends (...args: never[]) => unknown> = (...args: Parameters<F>) => ReturnType<F>;

export const healthCheck: Workflow<typeof HealthCheck.healthCheck> = async function healthCheck(...args) {
  const module = await import(/* webpackMode: "eager" */ './health-check');
  return module.healthCheck(...args);
};

export const canvasSession: Workflow<typeof CanvasSession.canvasSession> = async function canvasSession(...args) {
  const module = await import(/* webpackMode: "eager" */ './canvas-session/canvas-session');
  return module.canvasSession(...args);
};

export const evalRun: Workflow<typeof EvalRun.evalRun> = async function evalRun(...args) {
  const module = await import(/* webpackMode: "eager" */ './eval-run/eval-run');
  return module.evalRun(...args);
};

export const cwrpoTraining: Workflow<typeof CwrpoTraining.cwrpoTraining> = async function cwrpoTraining(...args) {
  const module = await import(/* webpackMode: "eager" */ './cwrpo-training/cwrpo-training');
  return module.cwrpoTraining(...args);
};
setWorkflowOptions(trainingVersioning, cwrpoTraining);
