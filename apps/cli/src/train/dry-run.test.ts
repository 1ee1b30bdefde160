import { join } from 'node:path';
import { backendRegistryFromConfig } from '@flowsteer/llm';
import { WORKSPACE_ROOT } from '@flowsteer/temporal-runtime';
import { loadTrainConfig } from './config';
import { dryRunChecks, type DryRunProbes } from './dry-run';

/** The shipped Qwen3 config against a worker configuration like the one its comments describe. */
const qwen = loadTrainConfig(join(WORKSPACE_ROOT, 'apps/cli/train-configs/qwen3-8b-vllm.yaml')).config;
const registry = (tokenIds: boolean) =>
  backendRegistryFromConfig(
    {
      backends: {
        'vllm-policy': {
          kind: 'openai-compatible',
          baseURL: 'http://gpu:8000/v1',
          model: 'flowsteer-policy',
          capabilities: { grammar: 'vllm', logprobs: true, tokenIds },
        },
        'vllm-base': {
          kind: 'openai-compatible',
          baseURL: 'http://gpu:8000/v1',
          model: 'Qwen/Qwen3-8B',
          capabilities: { grammar: 'vllm', logprobs: true },
        },
      },
      models: { 'qwen3-8b': { path: '/models/Qwen3-8B', learnerTaskQueue: 'cwrpo-learner-gpu' } },
    },
    { env: {} },
  );

function probes(over: Partial<DryRunProbes> = {}): DryRunProbes {
  return {
    registry: registry(true),
    reachable: async () => null,
    pollers: async () => 1,
    canvasQueue: 'flowsteer-canvas',
    env: {},
    ...over,
  };
}

describe('flowsteer train --dry-run', () => {
  it('passes the shipped Qwen3 config when everything it needs is there (separate executor, sampled ids)', async () => {
    const asked: string[] = [];
    const report = await dryRunChecks(qwen, probes({ pollers: async (q, t) => (asked.push(`${t}:${q}`), 1) }));
    expect(report.lines.filter((l) => !l.startsWith('ok'))).toEqual([]);
    expect(report.ok).toBe(true);
    expect(qwen.executor).not.toBe(qwen.director);
    expect(asked).toEqual(['workflow:flowsteer-canvas', 'activity:cwrpo-learner-gpu']); // the model's learner queue
  });

  it('names every problem: unknown model, unreachable backend, no token ids, nobody polling', async () => {
    const report = await dryRunChecks(
      { ...qwen, baseModel: 'qwen3-32b' },
      probes({
        registry: registry(false),
        reachable: async (b) => (b.name === 'vllm-base' ? 'GET http://gpu:8000/v1/models failed: connection refused' : null),
        pollers: async (_q, t) => (t === 'activity' ? 0 : 1),
      }),
    );
    expect(report.ok).toBe(false);
    const fails = report.lines.filter((l) => l.startsWith('FAIL'));
    expect(fails).toHaveLength(4);
    expect(fails[0]).toMatch(/model "qwen3-32b": unknown model .* configured models are local, qwen3-8b/);
    expect(fails[1]).toMatch(/executor backend "vllm-base": GET .* connection refused/);
    expect(fails[2]).toMatch(/tokenizer sampled needs a director that reports token ids/);
    expect(fails[3]).toMatch(/no learner polls "cwrpo-learner"/);
  });

  it('warns when the executor samples the adapter being trained', async () => {
    const report = await dryRunChecks({ ...qwen, executor: qwen.director }, probes());
    expect(report.ok).toBe(true);
    expect(report.lines.some((l) => l.startsWith('warn') && /samples the adapter being trained/.test(l))).toBe(true);
  });
});
