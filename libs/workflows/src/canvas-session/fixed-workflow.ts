import { ApplicationFailure } from '@temporalio/workflow';
import { allOperators, takeTurn } from '@flowsteer/canvas';
import type { SessionInput } from '@flowsteer/contracts';
import type { SessionActivityProxies } from './proxies';
import { runExecution } from './turns';
import type { SessionControl } from './control';
import { feedbackText } from './director';
import type { SessionRecord } from './session-record';

/**
 * Baseline mode (`SessionInput.fixedWorkflow`): the canvas was opened with the hand-written DSL;
 * write the given node prompts (as a person's edits, validated like any edit, no turn charged),
 * execute the workflow once and stop. No director call is made.
 */
export async function runFixedWorkflow(
  record: SessionRecord,
  input: SessionInput,
  activities: SessionActivityProxies,
  control: SessionControl,
): Promise<void> {
  const fixed = input.fixedWorkflow;
  if (!fixed) return;
  const first = record.eventCount;
  for (const node of allOperators(record.state.graph)) {
    const prompt = fixed.prompts?.[node.operator];
    if (!prompt) continue;
    const outcome = takeTurn(record.state, { type: 'set_prompt', target: node.id, prompt }, { actor: 'human' });
    if (!outcome.accepted) {
      throw ApplicationFailure.nonRetryable(
        `fixed workflow: the prompt of ${node.id} (${node.operator}) was refused: ${outcome.rejection?.reason ?? 'unknown'}`,
        'InvalidSessionInput',
      );
    }
    record.apply(outcome.events);
  }
  const ledger = await runExecution(record, control, input, activities);
  const error = record.state.lastExecution?.error;
  record.addTranscript({
    turn: 0,
    actor: 'human',
    text: `fixed workflow: ${fixed.dsl}`,
    outcome: error ? `executed with an error: ${error}` : 'executed once',
    accepted: true,
    feedback: feedbackText(record.state),
    eventRange: [first, record.eventCount],
    ledger,
  });
}
