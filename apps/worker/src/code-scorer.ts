import type { BenchTask, CodeRunRequest, CodeRunResult, SessionScore } from '@flowsteer/contracts';
import { extractCode, scoreApps, scoreHumanEval, scoreMbpp } from '@flowsteer/sandbox';
import type { CodeScorer } from './session-activities';

type RunCode = (req: CodeRunRequest) => Promise<CodeRunResult>;

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * Scores a code answer on the benchmark's own tests through the sandbox (DESIGN §6: held-out
 * tests, independent of the workflow's Test operator). pass@1 for one sample.
 */
export function createCodeScorer(runCode: RunCode): CodeScorer {
  return async (task: BenchTask, answer: string): Promise<SessionScore> => {
    const code = extractCode(answer);
    const spec = task.code ?? {};
    if (!code.trim()) return { metrics: { 'pass@1': 0 }, primary: 0, note: 'the answer holds no code' };
    switch (task.dataset) {
      case 'humaneval': {
        const out = await scoreHumanEval(runCode, { task_id: task.id, prompt: spec.starterCode ?? '', entry_point: spec.entryPoint ?? '', test: spec.tests ?? '' }, code);
        return { metrics: { 'pass@1': out.passed ? 1 : 0 }, primary: out.passed ? 1 : 0, ...(out.error ? { note: out.error.slice(0, 300) } : {}) };
      }
      case 'mbpp': {
        const tests = (spec.tests ?? '').split('\n').filter((l) => l.trim());
        const out = await scoreMbpp(runCode, { task_id: Number(task.id), test_list: tests, test_setup_code: spec.testSetup ?? '' }, code);
        return { metrics: { 'pass@1': out.passed ? 1 : 0 }, primary: out.passed ? 1 : 0, ...(out.error ? { note: out.error.slice(0, 300) } : {}) };
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
        return { metrics: { 'pass@1': out.strict ? 1 : 0, strict_accuracy: out.strict ? 1 : 0, test_case_average: out.passRate }, primary: out.strict ? 1 : 0 };
      }
      default:
        return { metrics: {}, primary: 0, note: `no sandbox scorer for dataset "${task.dataset}" (DS-1000 has no data here)` };
    }
  };
}
