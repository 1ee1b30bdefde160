// The workflow bundle's entry point: export workflow functions only.
export { healthCheck } from './health-check';
