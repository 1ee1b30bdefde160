import { findOperator } from '../catalogue';
import { catalogueOf } from '../decider/options';
import type { CanvasState } from '../decider/state';
import { serializeDsl } from '../graph/dsl-serialize';
import type { OperatorNode } from '../graph/types';
import type { ExecutionPlan, PlannedCall, Stage } from './types';

/** The execution plan of the canvas as it stands (see `ExecutionPlan` for the data flow). */
export function planExecution(state: CanvasState): ExecutionPlan {
  const catalogue = catalogueOf(state.options);
  const stages: Stage[] = [];
  let previous: 'none' | 'single' | 'list' = 'none';
  const call = (node: OperatorNode, loop?: PlannedCall['loop']): PlannedCall => {
    const spec = findOperator(catalogue, node.operator);
    const acceptsList = spec?.acceptsList === true;
    const pass = loop?.pass ?? 1;
    return {
      callId: pass > 1 ? `${node.id}#${pass}` : node.id,
      nodeId: node.id,
      operator: node.operator,
      prompt: node.prompt ?? '',
      input: previous === 'none' ? 'problem' : previous === 'list' ? 'previous-list' : 'previous',
      acceptsList,
      ...(spec?.backend === 'director' ? { backend: 'director' as const } : {}),
      ...(loop ? { loop } : {}),
    };
  };
  for (const node of state.graph.nodes) {
    switch (node.kind) {
      case 'operator':
        stages.push({ kind: 'operator', call: call(node) });
        previous = 'single';
        break;
      case 'parallel':
        stages.push({ kind: 'parallel', nodeId: node.id, calls: node.branches.map((b) => call(b)) });
        previous = 'list';
        break;
      case 'conditional': {
        const check = call(node.condition);
        previous = 'single';
        stages.push({
          kind: 'conditional',
          nodeId: node.id,
          check,
          fix: call(node.fix),
          otherwise: node.otherwise ? call(node.otherwise) : null,
        });
        break;
      }
      case 'loop': {
        const passes = Math.min(node.count, state.options.maxLoopIterations);
        for (let pass = 1; pass <= passes; pass++) {
          for (const child of node.body) {
            stages.push({ kind: 'operator', call: call(child, { nodeId: node.id, pass, passes }) });
            previous = 'single';
          }
        }
        break;
      }
    }
  }
  return {
    revision: state.revision,
    dsl: serializeDsl(state.graph),
    stages,
    problem: state.options.problem,
    taskType: state.options.taskType,
    entryPoint: state.options.entryPoint,
    tests: state.options.tests,
  };
}

/** One line per stage, e.g. "2. parallel node_2: Programmer | Custom  <- previous output". */
export function describePlan(plan: ExecutionPlan): string[] {
  const src = (c: PlannedCall) =>
    c.input === 'problem'
      ? 'the problem'
      : c.input === 'previous-list'
        ? c.acceptsList
          ? 'the list of branch outputs'
          : 'the branch outputs, joined'
        : 'the previous output';
  const name = (c: PlannedCall) => `${c.callId} ${c.operator}${c.loop ? ` (pass ${c.loop.pass}/${c.loop.passes})` : ''}`;
  return plan.stages.map((s, i) => {
    const n = `${i + 1}.`;
    switch (s.kind) {
      case 'operator':
        return `${n} ${name(s.call)} <- ${src(s.call)}`;
      case 'parallel':
        return `${n} parallel ${s.nodeId}: ${s.calls.map(name).join(' | ')} <- ${src(s.calls[0] as PlannedCall)} (each)`;
      case 'conditional':
        return `${n} conditional ${s.nodeId}: ${name(s.check)} <- ${src(s.check)}; if it fails ${name(s.fix)}, else ${s.otherwise ? name(s.otherwise) : 'done'}`;
    }
  });
}
