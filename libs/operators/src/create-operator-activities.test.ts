import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStore } from '@flowsteer/artifacts';
import {
  isOperatorSuspension,
  type OperatorOutcome,
  type OperatorSuspension,
  type RunOperatorInput,
  sumLedger,
} from '@flowsteer/contracts';
import { createCatalogue, type OperatorSpec } from '@flowsteer/canvas';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOperatorActivities, EMPTY_OUTPUT_FAILURE } from './create-operator-activities';
import { operatorCacheKey } from './core/cache-key';
import { SandboxRunner } from '@flowsteer/sandbox';
import { OPERATOR_FAILURE } from './core/failures';
import { IMPLEMENTED_OPERATORS } from './ops/registry';
import { driveOperator, operatorInput, ScriptedChat, scriptedRunner } from './test-support/scripted-chat';

/** The finished outcome of one invocation (these operators never suspend). */
async function finished(step: Promise<OperatorOutcome | OperatorSuspension>): Promise<OperatorOutcome> {
  const value = await step;
  if (isOperatorSuspension(value)) throw new Error(`unexpected suspension: ${value.step}`);
  return value;
}

describe('runOperator', () => {
  it('returns the ledger of every LLM call, in order, on the named executor backend', async () => {
    const chat = new ScriptedChat(['<tests>assert add(1, 1) == 2</tests>', '```python\ndef add(a, b):\n    return a + b\n```']);
    // Test's verdict comes from libs/sandbox's verdict path: a real sandbox runs each suspended code run
    const sandbox = await SandboxRunner.create({ concurrency: 1, log: () => undefined });
    const { runOperator } = createOperatorActivities({ chat });
    const { outcome } = await driveOperator(
      runOperator,
      operatorInput({
        operator: 'Test',
        nodeId: 'node_7',
        taskType: 'code',
        inputs: 'def add(a, b):\n    return a',
        executorBackend: 'gpt-4o-mini',
      }),
      (req) => sandbox.run(req),
    ).finally(() => sandbox.close());
    expect(outcome.ledger).toHaveLength(2);
    expect(outcome.ledger.map((e) => [e.backend, e.purpose])).toEqual([
      ['gpt-4o-mini', 'node_7 Test propose tests'],
      ['gpt-4o-mini', 'node_7 Test repair'],
    ]);
    expect(sumLedger(outcome.ledger).costUsd).toBeCloseTo(0.002);
    expect(chat.requests.every((r) => r.temperature === 0 && r.maxTokens === 2048)).toBe(true);
    expect(outcome).toMatchObject({ operator: 'Test', nodeId: 'node_7', passed: true });
  });

  it('gives a cache key that follows operator, prompt and inputs but not the node id', async () => {
    const base = operatorInput({ operator: 'Custom', prompt: 'p', inputs: 'x' });
    const key = operatorCacheKey(base);
    expect(operatorCacheKey({ ...base, nodeId: 'node_9' })).toBe(key);
    expect(operatorCacheKey({ ...base, prompt: 'q' })).not.toBe(key);
    expect(operatorCacheKey({ ...base, inputs: ['x'] })).not.toBe(key);
    expect(operatorCacheKey({ ...base, operator: 'Review' })).not.toBe(key);
    const { runOperator } = createOperatorActivities({ chat: new ScriptedChat(['<result>1</result>']) });
    expect((await finished(runOperator(base))).cacheKey).toBe(key);
  });

  it('fails clearly and non-retryably on an unknown operator', async () => {
    const { runOperator } = createOperatorActivities({ chat: new ScriptedChat([]) });
    const failure = runOperator(operatorInput({ operator: 'Summarise' }));
    await expect(failure).rejects.toMatchObject({ type: OPERATOR_FAILURE.unknownOperator, nonRetryable: true });
    await expect(failure).rejects.toThrow(/unknown operator "Summarise".*Known operators: Plan, Decompose/);
  });

  const plugin = (over: Partial<OperatorSpec>): OperatorSpec => ({
    name: 'Summarise',
    category: 'formatting',
    description: 'Condense the input into one short sentence.',
    inputs: [{ name: 'input', type: 'text', description: 'text' }],
    outputs: [{ name: 'summary', type: 'text', description: 'one sentence' }],
    acceptsList: false,
    executesCode: false,
    allowedInParallel: true,
    solver: false,
    producesAnswer: true,
    promptGuidance: 'Say what to keep.',
    ...over,
  });

  it('runs a catalogue plug-in without an implementation through the generic LLM operator', async () => {
    const chat = new ScriptedChat(['<result>A cat sat.</result>']);
    const { runOperator } = createOperatorActivities({ chat, catalogue: createCatalogue([plugin({})]) });
    const outcome = await finished(
      runOperator(operatorInput({ operator: 'Summarise', prompt: 'Keep the subject.', inputs: 'The cat, a tabby, sat on the mat.' })),
    );
    expect(outcome.text).toBe('A cat sat.');
    expect(outcome.output).toEqual({ summary: 'A cat sat.', response: 'A cat sat.' });
    expect(outcome.passed).toBeUndefined();
    expect(chat.userText(0)).toContain('## Your step: Summarise\nCondense the input into one short sentence.');
    expect(chat.userText(0)).toContain('Keep the subject.');
  });

  it('gives a checker plug-in a verdict, and refuses a code-executing plug-in clearly', async () => {
    const checker = plugin({
      name: 'SpellCheck',
      category: 'checking',
      instruction: 'Check the spelling.',
      outputs: [
        { name: 'output', type: 'text', description: 'unchanged' },
        { name: 'ok', type: 'boolean', description: 'no misspellings' },
      ],
      passField: 'ok',
    });
    const runner = plugin({ name: 'Shell', executesCode: true });
    const catalogue = createCatalogue([checker, runner]);
    const chat = new ScriptedChat(['<result>teh cat</result><verdict>fail</verdict>']);
    const { runOperator } = createOperatorActivities({ chat, catalogue });
    const outcome = await finished(runOperator(operatorInput({ operator: 'SpellCheck', inputs: 'teh cat' })));
    expect(outcome).toMatchObject({ passed: false, output: { output: 'teh cat', ok: false } });
    expect(chat.userText(0)).toContain('Check the spelling.');
    await expect(runOperator(operatorInput({ operator: 'Shell' }))).rejects.toThrow(/declares executesCode/);
  });

  it('turns an empty result into a non-retryable failure that still carries the ledger', async () => {
    const { runOperator } = createOperatorActivities({ chat: new ScriptedChat(['<result></result>']) });
    const failure = await runOperator(operatorInput({ operator: 'Custom' })).catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: EMPTY_OUTPUT_FAILURE, nonRetryable: true });
    expect((failure as { details: [{ ledger: unknown[] }] }).details[0].ledger).toHaveLength(1);
  });

  it('rejects malformed input with a message naming the field', async () => {
    const { runOperator } = createOperatorActivities({ chat: new ScriptedChat([]) });
    await expect(runOperator({ ...operatorInput({ operator: 'Custom' }), inputs: 3 as unknown as string })).rejects.toThrow(
      /inputs must be a text or a list of texts/,
    );
    await expect(runOperator({ ...operatorInput({ operator: 'Custom' }), nodeId: '' })).rejects.toThrow(/input.nodeId/);
    await expect(runOperator({ ...operatorInput({ operator: 'Custom' }), executorBackend: '' })).rejects.toThrow(/no executor backend/);
  });

  it('reads inputs that arrive by reference and returns long outputs by reference', async () => {
    const store = new ArtifactStore(mkdtempSync(join(tmpdir(), 'ops-store-')));
    const longProblem = `Explain: ${'why '.repeat(400)}`;
    const problem = await store.putText(longProblem);
    const upstream = await store.putText('step one '.repeat(300));
    const longAnswer = `<result>${'answer '.repeat(400)}</result>`;
    const chat = new ScriptedChat([longAnswer]);
    const { runOperator } = createOperatorActivities({ chat, texts: store });
    const outcome = await finished(runOperator({ ...operatorInput({ operator: 'Custom' }), problem, inputs: [upstream, 'short'] }));
    const asked = chat.requests[0]?.messages.map((m) => m.content).join('\n') ?? '';
    expect(asked).toContain('step one step one');
    expect(typeof outcome.text).toBe('object');
    expect(await store.readText(outcome.text)).toContain('answer answer');
    expect(outcome.output).toBeUndefined();
    expect(await store.getJson(outcome.outputRef as string)).toMatchObject({});
    expect(JSON.stringify(outcome).length).toBeLessThan(3000);
  });

  it('refuses a reference input when the worker has no store', async () => {
    const { runOperator } = createOperatorActivities({ chat: new ScriptedChat(['<result>1</result>']) });
    const ref = { ref: `artifact://cas/${'1'.repeat(64)}`, preview: 'x', bytes: 5000 };
    await expect(runOperator({ ...operatorInput({ operator: 'Custom' }), inputs: ref })).rejects.toThrow(/no artifact store/);
  });

  it('uses the configured default backend when the input names none', async () => {
    const chat = new ScriptedChat(['<result>1</result>']);
    const { runOperator } = createOperatorActivities({ chat, executorBackend: 'local' });
    await runOperator({ ...operatorInput({ operator: 'Custom' }), executorBackend: '' });
    expect(chat.requests[0]?.backend).toBe('local');
  });

  it('lets executor errors through for Temporal to retry', async () => {
    const { runOperator } = createOperatorActivities({ chat: new ScriptedChat([new Error('backend "x" timed out')]) });
    await expect(runOperator(operatorInput({ operator: 'Custom' }))).rejects.toThrow('backend "x" timed out');
  });

  it('heartbeats inside an activity context', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const chat = new ScriptedChat(['```python\ndef solve():\n    return 42\n```']);
    const { runOperator } = createOperatorActivities({ chat });
    const run = (input: RunOperatorInput) => env.run(runOperator, input) as Promise<OperatorOutcome | OperatorSuspension>;
    const { outcome } = await driveOperator(
      run,
      operatorInput({ operator: 'Programmer' }),
      scriptedRunner([{ stdout: '<<<FLOWSTEER_RESULT>>>\n42' }]),
    );
    expect(outcome.text).toBe('42');
    expect(beats).toEqual(
      expect.arrayContaining([expect.objectContaining({ phase: 'llm' }), expect.objectContaining({ phase: 'llm-done' })]),
    );
  });

  it('implements exactly the 12 paper operators', () => {
    expect([...IMPLEMENTED_OPERATORS].sort()).toEqual([
      'Aggregate',
      'AnswerGenerate',
      'Custom',
      'Decompose',
      'Format',
      'Plan',
      'Programmer',
      'Review',
      'Revise',
      'ScEnsemble',
      'Test',
      'Verify',
    ]);
  });
});
