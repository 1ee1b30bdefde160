export * from './recommend';
export * from './render';
export * from './view';
