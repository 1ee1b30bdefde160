export * from './options';
export * from './state';
export * from './events';
export * from './finish';
export * from './decide';
export * from './evolve';
export * from './open';
export * from './turn';
