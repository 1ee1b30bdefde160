export * from './prng';
export * from './stratified-sample';
export * from './sample-tasks';
