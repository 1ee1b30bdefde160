/**
 * node-llama-cpp is an ES module with top-level await, so CommonJS code (our compiled output,
 * jest's module system) can neither `require()` it nor rely on TypeScript's `import()` (which the
 * CommonJS transform turns into `require`). A real dynamic import is needed:
 * - plain Node / tsx: `new Function('s', 'return import(s)')` is a native import();
 * - jest: its vm contexts have no dynamic-import callback, so we compile the import in a
 *   `vm.Script` that uses the main context's default loader (Node >= 20.12 / 21.7).
 */
import * as vm from 'node:vm';
import { pathToFileURL } from 'node:url';

type Importer = (specifier: string) => Promise<unknown>;

let viaMainLoader: Importer | undefined;

function mainLoaderImporter(): Importer {
  if (viaMainLoader) return viaMainLoader;
  const constant = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants
    ?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!constant) throw new Error('this Node.js cannot import ES modules from a vm context (needs Node >= 20.12)');
  const script = new vm.Script('(specifier) => import(specifier)', {
    importModuleDynamically: constant as unknown as vm.ScriptOptions['importModuleDynamically'],
  });
  viaMainLoader = script.runInThisContext() as Importer;
  return viaMainLoader;
}

const nativeImport = new Function('specifier', 'return import(specifier)') as Importer;

/** Imports an ES module package by name from CommonJS code, wherever this code runs. */
export async function importEsm<T>(packageName: string): Promise<T> {
  const url = pathToFileURL(require.resolve(packageName)).href;
  try {
    return (await nativeImport(url)) as T;
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    if (typeof code === 'string' && code.startsWith('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING')) {
      return (await mainLoaderImporter()(url)) as T;
    }
    throw err;
  }
}
