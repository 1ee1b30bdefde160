import type { PluginOperator } from '@flowsteer/contracts';
import { OPERATOR_CATALOGUE, validateOperatorSpec } from './registry';
import type { OperatorSpec } from './types';

/** The canvas spec of a declared plug-in operator: the declaration plus the defaults of its category. */
export function pluginSpec(p: PluginOperator): OperatorSpec {
  const checker = p.category === 'checking';
  return {
    name: p.name,
    category: p.category,
    description: p.description,
    inputs: [{ name: 'input', type: 'text', description: 'the previous step’s output (the problem for a first node)' }],
    outputs: [
      p.codeCheck
        ? { name: 'response', type: 'code', description: `the code ${p.name} wrote` }
        : { name: 'response', type: 'text', description: `what ${p.name} produced` },
      ...(checker ? [{ name: 'passed', type: 'boolean' as const, description: 'whether the check passed' }] : []),
      ...(p.codeCheck
        ? [{ name: 'code_check', type: 'text' as const, description: 'the verdict of the problem’s tests on the code' }]
        : []),
    ],
    acceptsList: p.category === 'ensemble',
    executesCode: p.codeCheck === true,
    allowedInParallel: p.allowedInParallel ?? p.category !== 'ensemble',
    solver: p.category === 'solving',
    producesAnswer: p.producesAnswer ?? ['solving', 'revision', 'formatting'].includes(p.category),
    ...(checker ? { passField: 'passed' } : {}),
    promptGuidance: p.promptGuidance ?? `Write what ${p.name} should focus on for this problem.`,
    instruction: p.instruction,
    ...(p.backend === 'director' ? { backend: 'director' as const } : {}),
    ...(p.codeCheck ? { codeCheck: true } : {}),
    plugin: true,
  };
}

/** Specs of declared plug-ins, each checked against the built-ins and the ones before it; throws with every problem. */
export function pluginSpecs(declared: readonly PluginOperator[]): OperatorSpec[] {
  const seen: OperatorSpec[] = [...OPERATOR_CATALOGUE.operators];
  const problems: string[] = [];
  for (const p of declared) {
    const spec = pluginSpec(p);
    problems.push(...validateOperatorSpec(spec, seen));
    seen.push(spec);
  }
  if (problems.length) throw new Error(`invalid plug-in operators: ${problems.join('; ')}`);
  return seen.slice(OPERATOR_CATALOGUE.operators.length);
}
