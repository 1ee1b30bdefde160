import { LOOP_COUNT } from '../graph/types';
import type { Action, ParseError, ParseResult, ParseSource } from './types';

/** The values read from the wire (tags or JSON keys), `undefined` when absent. */
export type Fields = Partial<Record<string, string>>;

export function parseError(code: ParseError['code'], message: string, hint: string): ParseResult {
  return { ok: false, error: { code, message, hint } };
}

const ACTION_ALIASES: Record<string, string> = {
  add: 'add',
  insert: 'add',
  delete: 'delete',
  remove: 'delete',
  modify: 'modify',
  replace: 'modify',
  set_prompt: 'set_prompt',
  setprompt: 'set_prompt',
  prompt: 'set_prompt',
  finish: 'finish',
  done: 'finish',
  parallel: 'parallel',
  conditional: 'conditional',
  loop: 'loop',
};

const ACTION_HINT = 'Use one of: add, delete, modify, set_prompt, finish, e.g. <action>add</action><operator>Plan</operator>.';
const STRUCTURES = ['parallel', 'conditional', 'loop'];

/** Splits an operator list on commas, semicolons, arrows or whitespace; brackets are ignored. */
export function splitOperators(value: string): string[] {
  return value
    .replace(/[[\](){}"']/g, ' ')
    .split(/->|[,;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Turns the fields of one action into an Action, or a precise error. */
export function actionFromFields(fields: Fields, source: ParseSource, notes: string[]): ParseResult {
  const raw = fields.action;
  if (raw === undefined) return parseError('missing_argument', 'The action has no <action> tag.', ACTION_HINT);
  const key = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (key === '') return parseError('empty_argument', 'The <action> tag is empty.', ACTION_HINT);
  const kind = ACTION_ALIASES[key];
  if (!kind) return parseError('unknown_action', `Unknown action ${quote(raw)}.`, ACTION_HINT);
  if (kind !== key) notes.push(`action "${key}" read as "${kind}"`);

  const need = (name: string, hint: string): string | ParseResult => {
    const v = fields[name];
    if (v === undefined) return parseError('missing_argument', `The ${kind} action needs a <${name}> tag.`, hint);
    if (v.trim() === '') return parseError('empty_argument', `The <${name}> tag of the ${kind} action is empty.`, hint);
    return v.trim();
  };
  const position = readPosition(fields.position, notes);
  const ok = (action: Action): ParseResult => ({ ok: true, action, source, notes });

  switch (kind) {
    case 'add':
    case 'parallel':
    case 'conditional':
    case 'loop': {
      let structure = kind === 'add' ? fields.structure?.trim().toLowerCase() : kind;
      if (structure === '' || structure === 'operator' || structure === 'none') structure = undefined;
      if (structure === undefined) {
        const operator = need('operator', 'Name one operator, e.g. <action>add</action><operator>Custom</operator>.');
        if (typeof operator !== 'string') return operator;
        if (splitOperators(operator).length > 1) {
          return parseError(
            'invalid_argument',
            `<operator> holds several names (${quote(operator)}); an add takes one.`,
            'Add one operator, or add a parallel structure with <operators>A, B</operators>.',
          );
        }
        const prompt = fields.prompt?.trim();
        return ok({ type: 'add', operator, ...pos(position), ...(prompt ? { prompt } : {}) });
      }
      if (!STRUCTURES.includes(structure)) {
        return parseError(
          'unknown_structure',
          `Unknown structure ${quote(fields.structure ?? '')}.`,
          'Use <structure>parallel</structure>, <structure>conditional</structure> or <structure>loop</structure>.',
        );
      }
      if (structure === 'conditional') {
        const condition = need('condition', 'Name the checker, e.g. <condition>Review</condition>.');
        if (typeof condition !== 'string') return condition;
        const fix = need('true', 'Name the operator that runs when the check fails, e.g. <true>Revise</true>.');
        if (typeof fix !== 'string') return fix;
        const other = fields.false?.trim() ?? '';
        const otherwise = other === '' || /^(done|none|null|nothing|pass)$/i.test(other) ? null : other;
        return ok({ type: 'add_conditional', condition, fix, otherwise, ...pos(position) });
      }
      const list = need(
        'operators',
        structure === 'parallel'
          ? 'List the branches, e.g. <operators>Programmer, Custom</operators>.'
          : 'List the operators to repeat, e.g. <operators>Revise, Review</operators>.',
      );
      if (typeof list !== 'string') return list;
      const operators = splitOperators(list);
      if (structure === 'parallel') return ok({ type: 'add_parallel', operators, ...pos(position) });
      return ok({ type: 'add_loop', operators, count: readCount(fields.count, notes), ...pos(position) });
    }
    case 'delete': {
      const target = need('target', 'Name the node to delete, e.g. <target>node_2</target>.');
      if (typeof target !== 'string') return target;
      return ok({ type: 'delete', target: normaliseTarget(target, notes) });
    }
    case 'modify': {
      const target = need('target', 'Name the node to change, e.g. <target>node_2</target>.');
      if (typeof target !== 'string') return target;
      const operator = need('operator', 'Name the new operator, e.g. <operator>Verify</operator>.');
      if (typeof operator !== 'string') return operator;
      return ok({ type: 'modify', target: normaliseTarget(target, notes), operator });
    }
    case 'set_prompt': {
      const target = need('target', 'Name the node, e.g. <target>node_2</target>.');
      if (typeof target !== 'string') return target;
      const prompt = need('prompt', 'Write the prompt in <prompt>…</prompt>.');
      if (typeof prompt !== 'string') return prompt;
      return ok({ type: 'set_prompt', target: normaliseTarget(target, notes), prompt });
    }
    default: {
      const answer = fields.answer?.trim();
      return ok({ type: 'finish', ...(answer ? { answer } : {}) });
    }
  }
}

function pos(position: number | undefined): { position?: number } {
  return position === undefined ? {} : { position };
}

function readPosition(value: string | undefined, notes: string[]): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (!/^\d{1,6}$/.test(v)) {
    notes.push(`position ${quote(v)} is not a number from 0 up; the node goes last`);
    return undefined;
  }
  return Number(v);
}

function readCount(value: string | undefined, notes: string[]): number {
  if (value === undefined || value.trim() === '') return LOOP_COUNT.default;
  const m = /^\s*(-?\d{1,6})/.exec(value);
  if (!m) {
    notes.push(`loop count ${quote(value.trim())} is not a number; using ${LOOP_COUNT.default}`);
    return LOOP_COUNT.default;
  }
  const n = Number(m[1]);
  const clamped = Math.min(LOOP_COUNT.max, Math.max(LOOP_COUNT.min, n));
  if (clamped !== n) notes.push(`loop count ${n} clamped to ${clamped}`);
  return clamped;
}

function normaliseTarget(target: string, notes: string[]): string {
  const t = target.trim();
  if (/^\d+$/.test(t)) {
    notes.push(`target "${t}" read as "node_${t}"`);
    return `node_${t}`;
  }
  return t;
}

export function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}
