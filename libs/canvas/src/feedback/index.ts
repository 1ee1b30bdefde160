export * from './recommend';
