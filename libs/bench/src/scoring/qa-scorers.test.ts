import fc from 'fast-check';
import { normalizeNqAnswer, normalizeSquadAnswer, normalizeTriviaqaAnswer } from './normalize';
import { flowsteerQaScore, hotpotScore, nqScore, squadV2Score, squadV2Single, triviaqaScore } from './qa-scorers';
import { multisetF1, setF1 } from './token-f1';

describe('SQuAD normalize_answer', () => {
  it.each([
    ['The Cat', 'cat'],
    ['  a  big   dog. ', 'big dog'],
    ["Norman's", 'normans'],
    ['Theater', 'theater'], // articles only as whole words
    ['an apple, the pear', 'apple pear'],
    ['U.S.A.', 'usa'],
    ['A', ''],
    ['café the résumé', 'café résumé'],
    ['théâtre', 'théâtre'], // "the" inside a Unicode word is not an article
    ['1,000', '1000'],
  ])('%j -> %j', (input, out) => expect(normalizeSquadAnswer(input)).toBe(out));

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => normalizeSquadAnswer(normalizeSquadAnswer(s)) === normalizeSquadAnswer(s)));
  });
});

describe('TriviaQA normalize_answer', () => {
  it.each([
    ['Yuri_Gagarin', 'yuri gagarin'],
    ['rock-and-roll', 'rock and roll'], // punctuation becomes a space (SQuAD would give "rockandroll")
    ['Gagarin, Yuri', 'gagarin yuri'],
    ['‘The’ Beatles', 'beatles'],
  ])('%j -> %j', (input, out) => expect(normalizeTriviaqaAnswer(input)).toBe(out));
  it('differs from SQuAD on inner punctuation', () => expect(normalizeSquadAnswer('rock-and-roll')).toBe('rockandroll'));
});

describe('NQ normalisation applies NFD first', () => {
  it('decomposes accents', () => expect(normalizeNqAnswer('é')).toBe('e\u0301'));
  it('composed and decomposed forms are equal', () => expect(nqScore('Pel\u00e9', ['Pele\u0301']).em).toBe(1));
});

describe('token F1', () => {
  it('multiset: repeated tokens count as often as they match', () => {
    // pred "the the cat" normalises to "cat"; use raw tokens here
    const r = multisetF1(['a', 'a', 'b'], ['a', 'b', 'b']);
    expect(r.precision).toBeCloseTo(2 / 3);
    expect(r.recall).toBeCloseTo(2 / 3);
    expect(r.f1).toBeCloseTo(2 / 3);
  });
  it('set: duplicates collapse', () => expect(setF1(['a', 'a', 'b'], ['a', 'b', 'b']).f1).toBe(1));
  it('both in [0,1] and symmetric', () => {
    const toks = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 6 });
    fc.assert(
      fc.property(toks, toks, (p, g) => {
        for (const f of [multisetF1, setF1]) {
          const x = f(p, g).f1;
          if (x < 0 || x > 1 || Math.abs(x - f(g, p).f1) > 1e-12) return false;
        }
        return true;
      }),
    );
  });
});

describe('SQuAD v2 (evaluate-v2.0.py)', () => {
  it('worked example: partial overlap', () => {
    // gold "Denver Broncos" vs pred "the Broncos": tokens [denver, broncos] vs [broncos]
    const r = squadV2Single('the Broncos', 'Denver Broncos');
    expect(r.em).toBe(0);
    expect(r.f1).toBeCloseTo((2 * 1 * 0.5) / 1.5);
  });
  it('max over golds', () => {
    expect(squadV2Score('France', ['the French republic', 'France'])).toEqual({ em: 1, f1: 1 });
  });
  it('multiset F1: "the cat cat" vs "cat" gives precision 1/2', () => {
    expect(squadV2Single('cat cat', 'cat').f1).toBeCloseTo(2 / 3);
  });
  it('no-answer rule: gold [""] scores 1 only for an empty prediction', () => {
    expect(squadV2Score('', [''])).toEqual({ em: 1, f1: 1 });
    expect(squadV2Score('Paris', [''])).toEqual({ em: 0, f1: 0 });
    expect(squadV2Score('', [])).toEqual({ em: 1, f1: 1 });
    expect(squadV2Score('', ['Paris'])).toEqual({ em: 0, f1: 0 });
  });
  it('a prediction that normalises to nothing is an empty answer', () => {
    expect(squadV2Score('The.', [''])).toEqual({ em: 1, f1: 1 });
  });
  it('golds that normalise to nothing are dropped', () => {
    expect(squadV2Score('', ['the', 'a'])).toEqual({ em: 1, f1: 1 });
  });
  it('EM implies F1 = 1; scores in [0,1]; identical strings score 1', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), { maxLength: 3 }), (p, golds) => {
        const r = squadV2Score(p, golds);
        if (r.em < 0 || r.em > 1 || r.f1 < 0 || r.f1 > 1) return false;
        if (r.em === 1 && r.f1 !== 1) return false;
        return squadV2Score(p, [p]).em === 1 || normalizeSquadAnswer(p) === '';
      }),
    );
  });
});

describe('HotpotQA (hotpot_evaluate_v1.py)', () => {
  it('yes/no rule: a yes/no answer that differs scores F1 0 despite overlap', () => {
    expect(hotpotScore('yes', 'yes it is')).toEqual({ em: 0, f1: 0 });
    expect(hotpotScore('no', 'no way')).toEqual({ em: 0, f1: 0 });
    expect(hotpotScore('noanswer', 'noanswer today')).toEqual({ em: 0, f1: 0 });
  });
  it('yes matches yes', () => expect(hotpotScore('Yes.', 'yes')).toEqual({ em: 1, f1: 1 }));
  it('multiset F1 otherwise', () => {
    expect(hotpotScore('Gesellschaft mit', 'Gesellschaft mit beschränkter Haftung').f1).toBeCloseTo((2 * 1 * 0.5) / 1.5);
  });
  it('empty prediction scores 0 (no SQuAD no-answer rule)', () => expect(hotpotScore('', '')).toEqual({ em: 1, f1: 0 }));
});

describe('TriviaQA', () => {
  it('max over aliases', () => {
    expect(triviaqaScore('Yuri Gagarin', ['First man in space', 'Yuri Gagarin'])).toEqual({ em: 1, f1: 1 });
    expect(triviaqaScore('Gagarin', ['Yuri Gagarin']).f1).toBeCloseTo(2 / 3);
  });
  it('underscore and punctuation as spaces', () => expect(triviaqaScore('yuri-gagarin', ['Yuri_Gagarin']).em).toBe(1));
});

describe('NQ-open', () => {
  it('EM over the answer list', () => {
    expect(nqScore('December 1972', ['14 December 1972 UTC', 'December 1972']).em).toBe(1);
    expect(nqScore('1972', ['14 December 1972 UTC', 'December 1972'])).toEqual({ em: 0, f1: 2 / 3 });
  });
});

describe('FlowSteer-compatible QA', () => {
  it('set F1 and the 0.5 threshold', () => {
    const r = flowsteerQaScore('cat cat dog', 'cat'.split('|'));
    expect(r.f1).toBeCloseTo((2 * 0.5 * 1) / 1.5); // tokens {cat, dog} vs {cat}
    expect(r.correct).toBe(1);
    expect(flowsteerQaScore('b c d e', ['e']).correct).toBe(0); // F1 0.4
    expect(flowsteerQaScore('b c d', ['d']).correct).toBe(1); // F1 exactly 0.5
  });
  it('"|"-separated golds', () => expect(flowsteerQaScore('Paris', ['Lyon|Paris']).em).toBe(1));
  it('no unanswerable handling: empty gold gives F1 0', () => expect(flowsteerQaScore('', ['']).f1).toBe(0));
  it('set F1 >= multiset F1 is not required, but both are in [0,1]', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (p, g) => {
        const r = flowsteerQaScore(p, [g]);
        return r.f1 >= 0 && r.f1 <= 1 && r.correct === (r.f1 >= 0.5 ? 1 : 0);
      }),
    );
  });
});
