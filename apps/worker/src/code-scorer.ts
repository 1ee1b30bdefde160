import { flowsteerCodePass } from '@flowsteer/bench';
import type { BenchTask, CodeRunRequest, CodeRunResult, SessionScore } from '@flowsteer/contracts';
import { extractCode, scoreApps, scoreDs1000, scoreHumanEval, scoreMbpp } from '@flowsteer/sandbox';
import type { CodeScorer } from './session-activities';

type RunCode = (req: CodeRunRequest) => Promise<CodeRunResult>;

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const note = (error: string | undefined) => (error ? { note: error.slice(0, 300) } : {});

/**
 * Scores a code answer on the benchmark's own tests through the sandbox (DESIGN §6: held-out
 * tests, independent of the workflow's Test operator): canonical pass@1 for one sample. Next to it,
 * `flowsteer_pass@1` is the FlowSteer-compatible metric: the workflow's own Test verdict.
 */
export function createCodeScorer(runCode: RunCode): CodeScorer {
  return async (task: BenchTask, answer: string, workflowTestPassed?: boolean | null): Promise<SessionScore> => {
    const score = await canonicalCodeScore(runCode, task, answer);
    return { ...score, metrics: { ...score.metrics, 'flowsteer_pass@1': flowsteerCodePass(answer, workflowTestPassed) } };
  };
}

async function canonicalCodeScore(runCode: RunCode, task: BenchTask, answer: string): Promise<SessionScore> {
  const spec = task.code ?? {};
  if (task.dataset === 'ds1000') {
    // DS-1000's harness post-processes the raw answer itself (test_ds1000.py `postprocess`), so no extractCode here
    const out = await scoreDs1000(
      runCode,
      {
        code_context: spec.tests ?? '',
        metadata: { problem_id: Number(task.id), library: String(task.meta?.library ?? task.stratum ?? '') },
      },
      answer,
    );
    return { metrics: { 'pass@1': out.passed ? 1 : 0 }, primary: out.passed ? 1 : 0, ...note(out.error) };
  }
  const code = extractCode(answer);
  if (!code.trim()) return { metrics: { 'pass@1': 0 }, primary: 0, note: 'the answer holds no code' };
  switch (task.dataset) {
    case 'humaneval': {
      const out = await scoreHumanEval(
        runCode,
        { task_id: task.id, prompt: spec.starterCode ?? '', entry_point: spec.entryPoint ?? '', test: spec.tests ?? '' },
        code,
      );
      return { metrics: { 'pass@1': out.passed ? 1 : 0 }, primary: out.passed ? 1 : 0, ...note(out.error) };
    }
    case 'mbpp': {
      const tests = (spec.tests ?? '').split('\n').filter((l) => l.trim());
      const out = await scoreMbpp(runCode, { task_id: Number(task.id), test_list: tests, test_setup_code: spec.testSetup ?? '' }, code);
      return { metrics: { 'pass@1': out.passed ? 1 : 0 }, primary: out.passed ? 1 : 0, ...note(out.error) };
    }
    case 'apps': {
      const call = spec.ioMode === 'call';
      const out = await scoreApps(
        runCode,
        {
          id: task.id,
          ...(spec.starterCode ? { starter_code: spec.starterCode } : {}),
          ...(spec.entryPoint ? { fn_name: spec.entryPoint } : {}),
          test_list: (spec.ioTests ?? []).map((t) => ({ input: t.input, output: call ? parseJson(t.output) : t.output })),
        },
        code,
      );
      return {
        metrics: { 'pass@1': out.strict ? 1 : 0, strict_accuracy: out.strict ? 1 : 0, test_case_average: out.passRate },
        primary: out.strict ? 1 : 0,
      };
    }
    default:
      return { metrics: {}, primary: 0, note: `no sandbox scorer for dataset "${task.dataset}"` };
  }
}
