/**
 * The workflow sandbox's built-in objects, read once per module instead of at every use.
 *
 * Workflow code runs in a `node:vm` context, where every free reference to a global (`Math`,
 * `JSON`, `Object`, ...) goes through the context's property interceptors: ~150 ns a reference on
 * our CI machine against ~1 ns outside it, and pure canvas code makes thousands per turn (a hash
 * loop makes several per character). The bundler (libs/temporal-runtime, bundle-options.ts) rewrites
 * those free references in every bundled module into reads of this module's exports, which are the
 * same objects, taken from the sandbox's own global once: nothing about determinism changes
 * (`Date` and `Math.random` are the SDK's deterministic versions either way, and `Date` is not
 * listed here because the SDK installs its own).
 */
const sandbox = globalThis;

export const sandboxMath = sandbox.Math;
export const sandboxJSON = sandbox.JSON;
export const sandboxObject = sandbox.Object;
export const sandboxArray = sandbox.Array;
export const sandboxString = sandbox.String;
export const sandboxNumber = sandbox.Number;
export const sandboxBoolean = sandbox.Boolean;
export const sandboxSymbol = sandbox.Symbol;
export const sandboxMap = sandbox.Map;
export const sandboxSet = sandbox.Set;
export const sandboxRegExp = sandbox.RegExp;
