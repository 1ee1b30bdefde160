import fc from 'fast-check';
import { action as actionArb, intent, resolveIntent } from '../test-support/arbitraries';
import { Session, MATH } from '../test-support/fixtures';
import { allIds, operatorsOf } from '../graph';
import { hash128 } from '../util/hash';
import { decide, replay, type CanvasState } from './index';
import { startExecution } from '../plan';
import type { CallResult, OperatorCall } from '../plan';

/** A deterministic executor whose verdicts and failures depend on the call. */
function executor(call: OperatorCall): CallResult {
  const h = parseInt(hash128(call.cacheKey).slice(0, 8), 16);
  if (h % 17 === 0) return { callId: call.callId, error: 'executor timed out' };
  const checker = ['Review', 'Verify', 'Test'].includes(call.operator);
  return {
    callId: call.callId,
    outcome: { text: `${call.operator}:${h % 100}`, ...(checker ? { passed: h % 3 !== 0, feedback: 'fb' } : {}) },
  };
}

function invariants(state: CanvasState): void {
  const ids = allIds(state.graph);
  expect(new Set(ids).size).toBe(ids.length);
  for (const node of state.graph.nodes) {
    expect(Number(node.id.slice('node_'.length))).toBeLessThan(state.graph.nextId);
    if (node.kind !== 'operator') for (const child of operatorsOf(node)) expect(child.kind).toBe('operator');
  }
  expect(state.turn).toBeLessThanOrEqual(state.options.maxTurns);
  if (state.phase === 'awaiting_prompt') expect(state.pending).not.toBeNull();
  else expect(state.pending).toBeNull();
}

describe('decider properties', () => {
  it('random turn sequences never throw, keep ids unique and monotonic, never nest, and replay exactly', () => {
    fc.assert(
      fc.property(fc.array(intent, { maxLength: 60 }), fc.boolean(), (intents, human) => {
        const s = new Session({ ...MATH, maxTurns: 60 }, executor);
        const seen = new Set<string>();
        let highest = 0;
        for (const [i, it] of intents.entries()) {
          const input = resolveIntent(s.state, it, (st) => allIds((st as CanvasState).graph), i * 7 + intents.length);
          const before = s.state;
          const out = s.turn(input, human && typeof input !== 'string' ? 'human' : 'director');
          invariants(s.state);
          for (const node of s.state.graph.nodes) {
            if (!seen.has(node.id)) {
              const n = Number(node.id.slice('node_'.length));
              expect(n).toBeGreaterThan(highest);
              highest = n;
              seen.add(node.id);
            }
          }
          if (!out.accepted) {
            // A refused turn changes nothing but the turn counter and the history.
            expect({ ...s.state, turn: before.turn, history: before.history }).toEqual(before);
          }
        }
        expect(replay(s.events)).toEqual(s.state);
        expect(JSON.parse(JSON.stringify(s.state))).toEqual(s.state);
      }),
      { numRuns: 300 },
    );
  });

  it('every rejection by decide leaves the state untouched', () => {
    fc.assert(
      fc.property(fc.array(intent, { maxLength: 30 }), actionArb, (prefix, probe) => {
        const s = new Session({ ...MATH, maxTurns: 40 }, executor);
        prefix.forEach((it, i) => s.turn(resolveIntent(s.state, it, (st) => allIds((st as CanvasState).graph), i)));
        const snapshot = JSON.stringify(s.state);
        const d = decide(s.state, probe);
        expect(JSON.stringify(s.state)).toBe(snapshot);
        if (d.rejection) {
          expect(d.events).toBeUndefined();
          expect(d.rejection.reason.length).toBeGreaterThan(0);
        } else {
          expect(d.events.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('after a successful execution, running again serves every node from the cache', () => {
    fc.assert(
      fc.property(fc.array(intent, { maxLength: 40 }), (intents) => {
        const s = new Session({ ...MATH, maxTurns: 50 }, executor);
        intents.forEach((it, i) => s.turn(resolveIntent(s.state, it, (st) => allIds((st as CanvasState).graph), i)));
        if (s.state.lastExecution?.ok && s.state.lastExecution.revision === s.state.revision) {
          const again = startExecution(s.state);
          expect(again.waiting).toEqual([]);
          expect(again.status).toBe('succeeded');
          expect(again.answer).toBe(s.state.lastExecution.answer);
        }
      }),
      { numRuns: 200 },
    );
  });
});
