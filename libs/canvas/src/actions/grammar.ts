import { OPERATOR_CATALOGUE } from '../catalogue';
import { catalogueVocabulary, type ActionVocabulary } from './vocabulary';

/**
 * GBNF grammars (llama.cpp) for constrained decoding by small local models. Deliberately plain:
 * string literals, character classes, alternation, grouping, `?` and `*` only; rule names in
 * lower case with dashes. The output is the canonical tag form that `parseAction` reads.
 */

function literal(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function alternatives(values: readonly string[]): string {
  return values.map(literal).join(' | ');
}

export function actionGrammar(vocabulary: ActionVocabulary = catalogueVocabulary(OPERATOR_CATALOGUE)): string {
  const v = vocabulary;
  const actions: string[] = [];
  const rules: string[] = [];
  const anyId = 'node-id ::= "node_" [0-9] [0-9]* node-suffix?\nnode-suffix ::= "_" [a-z] [a-z0-9]*';
  let needsAnyId = false;
  const targetRule = (name: string, ids: readonly string[] | undefined): boolean => {
    if (ids === undefined) {
      rules.push(`${name} ::= node-id`);
      needsAnyId = true;
      return true;
    }
    if (ids.length === 0) return false;
    rules.push(`${name} ::= ${alternatives(ids)}`);
    return true;
  };

  if (v.allowAdd && v.operators.length > 0) {
    actions.push('add-op', 'add-conditional', 'add-loop');
    rules.push(
      'add-op ::= "<action>add</action><operator>" op "</operator>"',
      'add-conditional ::= "<action>add</action><structure>conditional</structure><condition>" check "</condition><true>" op "</true><false>" else-op "</false>"',
      'add-loop ::= "<action>add</action><structure>loop</structure><operators>" op (", " op)? (", " op)? "</operators><count>" count "</count>"',
      'else-op ::= "done" | op',
      'count ::= [1-9]',
      `op ::= ${alternatives(v.operators)}`,
      `check ::= ${alternatives(v.checkers.length > 0 ? v.checkers : v.operators)}`,
    );
    if (v.parallelOperators.length > 0) {
      actions.push('add-parallel');
      rules.push(
        'add-parallel ::= "<action>add</action><structure>parallel</structure><operators>" branch ", " branch (", " branch)? (", " branch)? "</operators>"',
        `branch ::= ${alternatives(v.parallelOperators)}`,
      );
    }
  }
  if (targetRule('delete-target', v.deleteTargets)) {
    actions.push('delete');
    rules.push('delete ::= "<action>delete</action><target>" delete-target "</target>"');
  }
  if (targetRule('op-target', v.operatorTargets)) {
    actions.push('modify', 'set-prompt');
    rules.push(
      `modify ::= "<action>modify</action><target>" op-target "</target><operator>" ${v.operators.length > 0 ? 'any-op' : '"Custom"'} "</operator>"`,
      `any-op ::= ${alternatives(v.operators.length > 0 ? v.operators : ['Custom'])}`,
      'set-prompt ::= "<action>set_prompt</action><target>" op-target "</target><prompt>" prompt-text "</prompt>"',
      'prompt-text ::= text-char text-char text-char text-char text-char text-char*',
      'text-char ::= [^<\\n]',
    );
  }
  if (v.allowFinish || actions.length === 0) {
    actions.push('finish');
    rules.push('finish ::= "<action>finish</action>"');
  }
  if (needsAnyId) rules.push(anyId);
  return [`root ::= ${actions.join(' | ')}`, ...rules].join('\n') + '\n';
}

/** The grammar of a prompt turn: plain text of at least 5 characters, no tags. */
export const PROMPT_GRAMMAR = 'root ::= text-char text-char text-char text-char text-char text-char*\ntext-char ::= [^<]\n';

/** The action grammar for the 12 built-in operators and any node id. */
export const ACTION_GRAMMAR = actionGrammar();
