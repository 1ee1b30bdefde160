import { join } from 'node:path';
import { loadDataset, sampleTasks } from '@flowsteer/bench';
import { EVAL_RUN_WORKFLOW, type BenchTask, type EvalRunResult } from '@flowsteer/contracts';
import { createSandbox, type SandboxRunner } from '@flowsteer/sandbox';
import { evalDirectorReply, goldExecutorReply, startEvalHarness, type EvalHarness } from '../support/eval-harness';

jest.setTimeout(600_000);

/** The project's own DS-1000 items (the real file is not in ../shared/bench): the documented one-line pointer. */
const DS1000_FIXTURE = join(__dirname, '..', '..', '..', '..', 'libs', 'bench', 'src', 'datasets', 'fixtures', 'ds1000.fixture.jsonl');
const DATASETS = ['gsm8k', 'math', 'mbpp', 'humaneval', 'ds1000'];

/**
 * What `flowsteer eval --datasets gsm8k,math,mbpp,humaneval,ds1000` produces, with scripted LLMs that
 * answer the gold and a real sandbox: every cell of the report where a scorer exists is filled (no
 * `n/s`), in the paper table and in the details table (canonical, lenient, symbolic, FlowSteer-compatible).
 */
describe('evalRun report: no unscored cell where a scorer exists', () => {
  let h: EvalHarness;
  let sandbox: SandboxRunner;
  const previous = process.env.FLOWSTEER_DS1000_FILE;
  beforeAll(async () => {
    process.env.FLOWSTEER_DS1000_FILE = DS1000_FIXTURE;
    sandbox = await createSandbox({ log: () => undefined });
    h = await startEvalHarness({ sandbox });
  });
  afterAll(async () => {
    await h?.close();
    if (previous === undefined) delete process.env.FLOWSTEER_DS1000_FILE;
    else process.env.FLOWSTEER_DS1000_FILE = previous;
  });

  it('gsm8k, math, mbpp, humaneval and ds1000 with baselines', async () => {
    const tasks: BenchTask[] = DATASETS.flatMap((d) => sampleTasks(loadDataset(d).tasks, { perDataset: 1, seed: 42 }));
    h.director.setFallback(evalDirectorReply(() => false));
    h.executor.setFallback(goldExecutorReply(tasks));
    const result = (await h.client.workflow.execute(EVAL_RUN_WORKFLOW, {
      taskQueue: h.taskQueue,
      workflowId: `eval-scored-${Date.now().toString(36)}`,
      args: [
        {
          name: 'scored',
          datasets: DATASETS,
          perDataset: 1,
          seed: 42,
          director: 'director',
          executor: 'executor',
          maxTurns: 3,
          baselines: true,
          concurrency: 3,
        },
      ],
    })) as EvalRunResult;
    expect(result.status).toBe('finished');
    expect(result.report.failures ?? []).toEqual([]);

    const md = result.report.markdown;
    const tableLines = md.split('\n').filter((l) => l.startsWith('|'));
    expect(tableLines.filter((l) => l.includes('n/s'))).toEqual([]);

    // the paper table: every method x dataset has a canonical score
    expect(tableLines[0]).toBe('| Method (canonical metrics) | GSM8K | MATH | MBPP | HumanEval | DS-1000 |');
    for (const label of ['Executor alone (one call)', 'Fixed workflow (hand-written)', 'FlowSteer (this run)']) {
      const cells = tableLines
        .find((l) => l.startsWith(`| ${label} |`))
        ?.split('|')
        .slice(2, -1)
        .map((c) => c.trim());
      expect({ label, cells: cells?.every((c) => /^\d+\.\d\d$/.test(c)) }).toEqual({ label, cells: true });
    }
    // gold answers score 100 under the canonical scorers, code included (held-out tests in the sandbox)
    expect(tableLines).toContain('| FlowSteer (this run) | 100.00 | 100.00 | 100.00 | 100.00 | 100.00 |');
    expect(tableLines).toContain('| Executor alone (one call) | 100.00 | 100.00 | 100.00 | 100.00 | 100.00 |');

    // the details table names the families; MATH has all four, GSM8K no symbolic, code no lenient/symbolic
    expect(md).toContain(
      '| Dataset | Method | n | failed | unavail. | canonical (official scorer) | lenient | symbolic (sympy) | FlowSteer-compatible |',
    );
    expect(md).toMatch(
      /\| MATH \| flowsteer \| 1 \| 0 \| 0 \| accuracy 100\.00 \| accuracy 100\.00 \| accuracy 100\.00 \| accuracy 100\.00 \|/,
    );
    expect(md).toMatch(/\| GSM8K \| flowsteer \| 1 \| 0 \| 0 \| accuracy 100\.00 \| accuracy 100\.00 \| — \| accuracy 100\.00 \|/);
    for (const title of ['MBPP', 'HumanEval', 'DS-1000']) {
      expect(md).toMatch(
        new RegExp(`\\| ${title} \\| flowsteer \\| 1 \\| 0 \\| 0 \\| pass@1 100\\.00 \\| — \\| — \\| pass@1 \\d+\\.\\d\\d \\|`),
      );
    }
    // the FlowSteer-compatible code metric is the workflow's own Test verdict: no Test ran in these sessions
    const fsRow = (d: string) => result.report.rows.find((r) => r.dataset === d && r.method === 'flowsteer');
    for (const d of ['mbpp', 'humaneval', 'ds1000']) expect(fsRow(d)?.metrics['flowsteer_pass@1']).toBe(0);
    console.log(`scored evaluation:\n${md}`);
  });
});
