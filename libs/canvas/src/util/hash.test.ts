import fc from 'fast-check';
import { hash128, stableJson } from './hash';

describe('hash128', () => {
  it('is deterministic, 32 hex characters, and known for fixed inputs', () => {
    expect(hash128('')).toMatch(/^[0-9a-f]{32}$/);
    expect(hash128('abc')).toBe(hash128('abc'));
    expect(hash128('abc')).not.toBe(hash128('abd'));
    expect(hash128('a')).not.toBe(hash128('a\u0000'));
  });

  it('shows no collisions over many distinct short strings', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) seen.add(hash128(`node_${i}:${i % 7}`));
    expect(seen.size).toBe(50_000);
  });

  it('changes about half the bits when one character changes', () => {
    let total = 0;
    const n = 300;
    for (let i = 0; i < n; i++) {
      const a = hash128(`prompt ${i} for Custom`);
      const b = hash128(`prompt ${i} for Custon`);
      let diff = 0;
      for (let k = 0; k < 32; k += 8) {
        let x = (parseInt(a.slice(k, k + 8), 16) ^ parseInt(b.slice(k, k + 8), 16)) >>> 0;
        while (x) {
          diff += x & 1;
          x >>>= 1;
        }
      }
      total += diff;
    }
    const mean = total / n;
    expect(mean).toBeGreaterThan(54);
    expect(mean).toBeLessThan(74);
  });
});

describe('stableJson', () => {
  it('ignores key order and undefined values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(stableJson(reversed)).toBe(stableJson(obj));
      }),
    );
    expect(stableJson({ b: 1, a: undefined, c: [1, { y: 2, x: 1 }] })).toBe('{"b":1,"c":[1,{"x":1,"y":2}]}');
  });
});
