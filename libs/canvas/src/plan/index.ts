export * from './types';
export * from './cache-key';
export * from './build';
export * from './run';
