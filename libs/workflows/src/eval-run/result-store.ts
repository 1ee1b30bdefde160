import type { EvalItemResult } from '@flowsteer/contracts';
import type { EvalActivityProxies } from './proxies';

/** Results per artifact part: a part stays well under Temporal's payload limits (~300 bytes per result). */
export const RESULTS_PER_PART = 250;

/**
 * The run's finished units, keyed for idempotency, and their persistence as artifact parts
 * (`eval-results/<run>-part-<k>`) so continue-as-new and the report pass references, not data.
 * Full parts written earlier are never rewritten.
 */
export class ResultStore {
  readonly results: EvalItemResult[] = [];
  private readonly keys = new Set<string>();
  private refs: string[] = [];
  /** Results already in full parts (a multiple of RESULTS_PER_PART). */
  private sealed = 0;

  constructor(
    private readonly runId: string,
    private readonly acts: Pick<EvalActivityProxies, 'storeArtifact' | 'loadArtifact'>,
  ) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(result: EvalItemResult): void {
    if (this.keys.has(result.key)) return;
    this.keys.add(result.key);
    this.results.push(result);
  }

  async restore(refs: readonly string[]): Promise<void> {
    for (const ref of refs) {
      const part = (await this.acts.loadArtifact.executeWithOptions({ summary: `results ${ref}` }, [{ ref }])) as EvalItemResult[];
      for (const r of part) this.add(r);
    }
    this.refs = [...refs];
    this.sealed = Math.floor(this.results.length / RESULTS_PER_PART) * RESULTS_PER_PART;
    this.refs = this.refs.slice(0, this.sealed / RESULTS_PER_PART);
  }

  /** Writes the parts not yet sealed and returns every part's reference, in order. */
  async persist(): Promise<string[]> {
    for (let from = this.sealed; from < this.results.length; from += RESULTS_PER_PART) {
      const part = this.results.slice(from, from + RESULTS_PER_PART);
      const index = from / RESULTS_PER_PART;
      const ref = await this.acts.storeArtifact.executeWithOptions({ summary: `store results part ${index}` }, [
        { kind: 'eval-results', id: `${this.runId}-part-${index}`, content: part },
      ]);
      this.refs[index] = ref;
      if (part.length === RESULTS_PER_PART) this.sealed = from + RESULTS_PER_PART;
    }
    return this.refs.slice(0, Math.ceil(this.results.length / RESULTS_PER_PART));
  }
}
