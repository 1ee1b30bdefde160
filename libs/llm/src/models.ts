/**
 * Named base models (the `models:` section of the backend configuration). Training runs name a model
 * (`baseModel: qwen3-8b`); only the server knows where its weights are, which file tokenises for it
 * and which learner pool trains it. A client never passes a path or a task queue.
 */
import { NAME_PATTERN } from '@flowsteer/contracts';

export interface ModelEntry {
  name: string;
  /** What the learner opens: an HF folder, a `.gguf` file or `<folder>::<file.gguf>` (paths as the learner's machine sees them). */
  path: string;
  /** The GGUF the worker tokenises with for the `llama-cpp` tokenizer (default: `path` when it is a `.gguf` file). */
  tokenizerFile?: string;
  /** The learner pool's task queue (default: the worker's, `FLOWSTEER_LEARNER_TASK_QUEUE` or `cwrpo-learner`). */
  learnerTaskQueue?: string;
  description?: string;
}

/** A model name the configuration does not have; the message lists the names (never a path). */
export class UnknownModelError extends Error {
  override readonly name = 'UnknownModelError';
}

export class ModelCatalog {
  private readonly models: ReadonlyMap<string, ModelEntry>;

  constructor(entries: Iterable<ModelEntry>) {
    this.models = new Map([...entries].map((m) => [m.name, m]));
  }

  names(): string[] {
    return [...this.models.keys()];
  }

  has(name: string): boolean {
    return this.models.has(name);
  }

  get(name: string): ModelEntry {
    const named = NAME_PATTERN.test(name);
    const entry = named ? this.models.get(name) : undefined;
    const known = `configured models are ${this.names().join(', ') || '(none)'}`;
    if (!entry) throw new UnknownModelError(named ? `unknown model "${name}": ${known}` : `a model is a name, not a path: ${known}`);
    return entry;
  }

  /** The tokenizer GGUF of a model, when it has one. */
  tokenizerFile(name: string): string | undefined {
    const entry = this.get(name);
    if (entry.tokenizerFile) return entry.tokenizerFile;
    const file = entry.path.includes('::') ? entry.path.replace('::', '/') : entry.path;
    return file.endsWith('.gguf') ? file : undefined;
  }
}
