// The workflow entry as it was before #18's lazy loading (overhead.ts --bundle eager-start): every
// workflow's modules, and every contracts module, evaluated at every workflow start.
export { healthCheck } from '../../libs/workflows/src/health-check';
export { canvasSession } from '../../libs/workflows/src/canvas-session/canvas-session';
export { evalRun } from '../../libs/workflows/src/eval-run/eval-run';
export { cwrpoTraining } from '../../libs/workflows/src/cwrpo-training/cwrpo-training';
