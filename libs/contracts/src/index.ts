export * from './task-queues';
export * from './search-attributes';
export * from './health-check';
export * from './llm';
export * from './sandbox';
export * from './operators';
export * from './tasks';
export * from './session';
