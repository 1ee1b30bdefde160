export * from './types';
export * from './nodes';
export * from './validate';
export * from './dsl-serialize';
export * from './dsl-parse';
export * from './statistics';
