export * from './system-prompt';
export * from './vocabulary';
export * from './request';
