/**
 * @flowsteer/canvas — the pure, event-sourced engine for the Flow-Director's workflow edits.
 * See libs/canvas/README.md for the API and the semantics.
 */
export * from './rejection';
export * from './catalogue';
export * from './graph';
export * from './actions';
export * from './decider';
export * from './plan';
export * from './feedback';
export { hash128, stableJson } from './util/hash';
export * from './director';
