import type { Action } from './types';

/** The canonical tag form of an action (what the director is taught to write). */
export function formatAction(action: Action): string {
  const pos = 'position' in action && action.position !== undefined ? `<position>${action.position}</position>` : '';
  switch (action.type) {
    case 'add':
      return `<action>add</action><operator>${action.operator}</operator>${pos}${action.prompt ? `<prompt>${action.prompt}</prompt>` : ''}`;
    case 'add_parallel':
      return `<action>add</action><structure>parallel</structure><operators>${action.operators.join(', ')}</operators>${pos}`;
    case 'add_conditional':
      return `<action>add</action><structure>conditional</structure><condition>${action.condition}</condition><true>${action.fix}</true><false>${action.otherwise ?? 'done'}</false>${pos}`;
    case 'add_loop':
      return `<action>add</action><structure>loop</structure><operators>${action.operators.join(', ')}</operators><count>${action.count}</count>${pos}`;
    case 'delete':
      return `<action>delete</action><target>${action.target}</target>`;
    case 'modify':
      return `<action>modify</action><target>${action.target}</target><operator>${action.operator}</operator>`;
    case 'set_prompt':
      return `<action>set_prompt</action><target>${action.target}</target><prompt>${action.prompt}</prompt>`;
    case 'finish':
      return `<action>finish</action>${action.answer ? `<answer>${action.answer}</answer>` : ''}`;
    case 'prompt':
      return action.prompt;
  }
}

/** A short human summary, e.g. "add Programmer", "parallel [Programmer, Custom]". */
export function describeAction(action: Action): string {
  switch (action.type) {
    case 'add':
      return `add ${action.operator}${action.position !== undefined ? ` at ${action.position}` : ''}`;
    case 'add_parallel':
      return `add parallel [${action.operators.join(', ')}]`;
    case 'add_conditional':
      return `add conditional ${action.condition} ? ${action.fix} : ${action.otherwise ?? 'done'}`;
    case 'add_loop':
      return `add loop (${action.operators.join(' -> ')}) * ${action.count}`;
    case 'delete':
      return `delete ${action.target}`;
    case 'modify':
      return `modify ${action.target} to ${action.operator}`;
    case 'set_prompt':
      return `set prompt of ${action.target}`;
    case 'finish':
      return 'finish';
    case 'prompt':
      return 'write prompt';
  }
}
