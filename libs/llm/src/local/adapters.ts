/**
 * LoRA adapters published to the embedded model (llama.cpp `.gguf` adapter files), by name.
 *
 * A request whose `model` is not the backend's own model names an adapter: the name is looked up
 * here first (adapters published by this process), then through the resolver the worker installs
 * (adapters published before a restart, recorded in the artifact store).
 */
const published = new Map<string, string>();
let resolver: ((backend: string, name: string) => string | undefined) | undefined;

const key = (backend: string, name: string) => `${backend}\u0000${name}`;

export function registerLocalAdapter(backend: string, name: string, ggufPath: string): void {
  published.set(key(backend, name), ggufPath);
}

/** Where adapters published by an earlier process are found (the worker reads its artifact store). */
export function setLocalAdapterResolver(fn: ((backend: string, name: string) => string | undefined) | undefined): void {
  resolver = fn;
}

export function localAdapterPath(backend: string, name: string): string | undefined {
  const known = published.get(key(backend, name));
  if (known) return known;
  const found = resolver?.(backend, name);
  if (found) published.set(key(backend, name), found);
  return found;
}

export function forgetLocalAdapters(): void {
  published.clear();
  resolver = undefined;
}
