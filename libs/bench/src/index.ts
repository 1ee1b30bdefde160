export * from './datasets';
export * from './sampling';
export * from './scoring';
