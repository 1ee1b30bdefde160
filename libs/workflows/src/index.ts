// The workflow bundle's entry point: export workflow functions only.
export { healthCheck } from './health-check';
export { canvasSession } from './canvas-session/canvas-session';
export { evalRun } from './eval-run/eval-run';
export { cwrpoTraining } from './cwrpo-training/cwrpo-training';
