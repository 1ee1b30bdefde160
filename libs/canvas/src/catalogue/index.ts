export * from './types';
export * from './builtin';
export * from './registry';
export * from './plugins';
