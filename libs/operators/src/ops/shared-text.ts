import type { OperatorCall } from '../core/operator-call';

/** "## Problem" plus, when the upstream text differs from the problem, "## <label>". */
export function problemAndUpstream(call: OperatorCall, label: string): string {
  const problem = call.input.problem.trim();
  const upstream = call.text.trim();
  const parts = [`## Problem\n${problem}`];
  if (upstream && upstream !== problem) parts.push(`## ${label}\n${upstream}`);
  return parts.join('\n\n');
}

export const SOLVER_SYSTEM = 'You are a precise problem solver handling one step of a multi-step workflow.';
