/**
 * A small, pure, deterministic string hash (no Node crypto, so it runs in the workflow sandbox).
 * Four independent 32-bit lanes in the style of MurmurHash3's mixing give a 128-bit hex digest.
 * Not cryptographic: it keys a cache, it does not defend against adversaries.
 */
export function hash128(input: string): string {
  let h1 = 0x6a09e667 ^ input.length;
  let h2 = 0xbb67ae85 ^ input.length;
  let h3 = 0x3c6ef372 ^ input.length;
  let h4 = 0xa54ff53a ^ input.length;
  for (let i = 0; i < input.length; i++) {
    const k = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ k, 0x85ebca6b);
    h2 = Math.imul(h2 ^ k, 0xc2b2ae35);
    h3 = Math.imul(h3 ^ k, 0x27d4eb2f);
    h4 = Math.imul(h4 ^ k, 0x165667b1);
    h1 = (h1 << 13) | (h1 >>> 19);
    h2 = (h2 << 15) | (h2 >>> 17);
    h3 = (h3 << 11) | (h3 >>> 21);
    h4 = (h4 << 17) | (h4 >>> 15);
  }
  h1 = fmix(h1 ^ Math.imul(h2, 0x9e3779b1));
  h2 = fmix(h2 ^ Math.imul(h3, 0x85ebca77));
  h3 = fmix(h3 ^ Math.imul(h4, 0xc2b2ae3d));
  h4 = fmix(h4 ^ Math.imul(h1, 0x27d4eb2f));
  return [h1, h2, h3, h4].map((h) => (h >>> 0).toString(16).padStart(8, '0')).join('');
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** JSON with object keys sorted, so equal values give equal text whatever the key order. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
