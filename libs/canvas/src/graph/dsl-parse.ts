import { rejection, type Rejection } from '../rejection';
import { operatorNode, structureNode } from './nodes';
import type { CanvasNode, Graph } from './types';
import { checkOperatorName, checkStructure, type NameRules } from './validate';

/**
 * Parses the DSL text form into a graph with fresh ids (`node_1`, `node_2`, … and the usual child
 * suffixes) and no prompts. Grammar:
 *
 *   workflow    := ε | node ('->' node)* ('->' 'done')?
 *   node        := parallel | loop | conditional | '(' conditional ')' | NAME
 *   parallel    := '[' NAME (',' NAME)+ ']'
 *   conditional := NAME '?' NAME ':' (NAME | 'done')
 *   loop        := '(' NAME ('->' NAME)* ')' '*' INT
 *
 * Names are checked against the catalogue exactly as actions are. Never throws.
 */
export type DslParseResult = { ok: true; graph: Graph } | { ok: false; error: Rejection & { offset: number } };

type Token = { t: 'name' | 'int' | 'arrow' | 'sym'; v: string; at: number };

const MAX_DSL_CHARS = 20_000;

function tokenize(text: string): Token[] | { at: number; char: string } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && text[i + 1] === '>') {
      tokens.push({ t: 'arrow', v: '->', at: i });
      i += 2;
    } else if ('[](),?:*'.includes(c)) {
      tokens.push({ t: 'sym', v: c, at: i });
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i] as string)) i++;
      tokens.push({ t: 'name', v: text.slice(start, i), at: start });
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < text.length && /[0-9]/.test(text[i] as string)) i++;
      tokens.push({ t: 'int', v: text.slice(start, i), at: start });
    } else {
      return { at: i, char: c };
    }
  }
  return tokens;
}

class DslError {
  constructor(readonly error: Rejection & { offset: number }) {}
}

export function parseDsl(text: string, rules: NameRules): DslParseResult {
  if (typeof text !== 'string') return fail('The workflow must be text.', 0);
  if (text.length > MAX_DSL_CHARS) return fail(`The workflow text is longer than ${MAX_DSL_CHARS} characters.`, MAX_DSL_CHARS);
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return fail(`Unexpected character ${JSON.stringify(tokens.char)}.`, tokens.at);
  let pos = 0;
  let nextId = 1;
  const nodes: CanvasNode[] = [];
  const peek = (k = 0): Token | undefined => tokens[pos + k];
  const end = text.length;
  const err = (message: string, at = peek()?.at ?? end, base?: Rejection): never => {
    throw new DslError({
      ...(base ??
        rejection(
          'invalid_workflow',
          message,
          'Write it like: Plan -> [Programmer, Custom] -> ScEnsemble -> Review ? Revise : done -> Format',
        )),
      offset: at,
    });
  };
  const expect = (v: string): Token => {
    const tok = peek();
    if (!tok || tok.v !== v) err(`Expected "${v}"${tok ? ` but found "${tok.v}"` : ' but the text ended'}.`);
    pos++;
    return tok as Token;
  };
  const name = (): Token => {
    const tok = peek();
    if (!tok || tok.t !== 'name') err(`Expected an operator name${tok ? ` but found "${tok.v}"` : ' but the text ended'}.`);
    if ((tok as Token).v === 'done') err('"done" may only stand in a conditional\'s last branch.', (tok as Token).at);
    const bad = checkOperatorName(rules, (tok as Token).v);
    if (bad) err(bad.reason, (tok as Token).at, bad);
    pos++;
    return tok as Token;
  };
  const structure = (kind: 'parallel' | 'conditional' | 'loop', ops: string[], at: number, count?: number): CanvasNode => {
    const bad = checkStructure(rules, kind, ops, count);
    if (bad) err(bad.reason, at, { ...bad, code: bad.code === 'unknown_operator' ? bad.code : 'invalid_workflow' });
    return structureNode(`node_${nextId}`, { kind, operators: ops, count });
  };
  const conditionalRest = (cond: Token): CanvasNode => {
    expect('?');
    const fix = name();
    expect(':');
    const tok = peek();
    let otherwise: string | undefined;
    if (tok && tok.t === 'name' && tok.v === 'done') pos++;
    else otherwise = name().v;
    return structure('conditional', otherwise ? [cond.v, fix.v, otherwise] : [cond.v, fix.v], cond.at);
  };
  const node = (): CanvasNode => {
    const tok = peek();
    if (!tok) return err('Expected a node but the text ended.');
    if (tok.v === '[') {
      pos++;
      const ops = [name().v];
      while (peek()?.v === ',') {
        pos++;
        ops.push(name().v);
      }
      expect(']');
      return structure('parallel', ops, tok.at);
    }
    if (tok.v === '(') {
      pos++;
      const first = name();
      if (peek()?.v === '?') {
        const cond = conditionalRest(first);
        expect(')');
        if (peek()?.v === '*') err('A conditional cannot be repeated: structures do not nest.');
        return cond;
      }
      const ops = [first.v];
      while (peek()?.t === 'arrow') {
        pos++;
        ops.push(name().v);
      }
      expect(')');
      if (peek()?.v !== '*') {
        if (ops.length === 1) return operatorNode(`node_${nextId}`, ops[0] as string);
        err('A parenthesised sequence must be a loop: add "* n" after ")".');
      }
      pos++;
      const count = peek();
      if (!count || count.t !== 'int') return err('Expected a loop count after "*".');
      pos++;
      return structure('loop', ops, tok.at, Number(count.v));
    }
    const op = name();
    if (peek()?.v === '?') return conditionalRest(op);
    return operatorNode(`node_${nextId}`, op.v);
  };
  try {
    if (tokens.length > 0) {
      for (;;) {
        if (peek()?.t === 'name' && peek()?.v === 'done' && nodes.length > 0 && pos + 1 === tokens.length) {
          pos++;
          break;
        }
        nodes.push(node());
        nextId++;
        if (pos >= tokens.length) break;
        expect('->');
      }
    }
    return { ok: true, graph: { nodes, nextId } };
  } catch (e) {
    if (e instanceof DslError) return { ok: false, error: e.error };
    return fail(`The workflow could not be read: ${String(e)}`, 0);
  }
}

function fail(message: string, offset: number): DslParseResult {
  return {
    ok: false,
    error: { ...rejection('invalid_workflow', message, 'Write it like: Plan -> Custom -> Review ? Revise : done -> Format'), offset },
  };
}
