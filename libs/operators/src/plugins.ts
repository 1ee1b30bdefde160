import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { createCatalogue, pluginSpecs, type Catalogue } from '@flowsteer/canvas';
import { pluginFileSchema, type PluginOperator } from '@flowsteer/contracts';

/**
 * The plug-in operators a deployment declares: `FLOWSTEER_PLUGINS` names a YAML or JSON file
 * `{ operators: [...] }` (see examples/plugins/). Read by the worker (which runs them), the CLI and
 * the API (which put them in the sessions they start, so replay and fork see the same catalogue).
 * Every problem is reported at once, with the file's name.
 */
export function loadPluginFile(path: string): PluginOperator[] {
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new Error(`plug-in file ${path}: ${(err as Error).message}`);
  }
  const parsed = pluginFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`plug-in file ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  }
  try {
    pluginSpecs(parsed.data.operators);
  } catch (err) {
    throw new Error(`plug-in file ${path}: ${(err as Error).message}`);
  }
  return parsed.data.operators;
}

/** The declared plug-ins of this process (none when FLOWSTEER_PLUGINS is unset). */
export function pluginsFromEnv(env: NodeJS.ProcessEnv = process.env): PluginOperator[] {
  const path = env.FLOWSTEER_PLUGINS?.trim();
  return path ? loadPluginFile(path) : [];
}

/** The operator catalogue of a worker: the built-ins plus its plug-ins. */
export function catalogueWith(plugins: readonly PluginOperator[]): Catalogue {
  return createCatalogue(pluginSpecs(plugins));
}
