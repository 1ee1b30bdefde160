export * from './load-problem';
export * from './read-records';
export * from './bench-dir';
export * from './registry';
export * from './load-dataset';
export { mbppEntryPoint, mbppSplit } from './mappers/code-sets';
export type { RecordContext } from './mappers/record-context';
