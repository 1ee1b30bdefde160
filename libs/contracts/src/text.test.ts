import fc from 'fast-check';
import { INLINE_TEXT_MAX_BYTES, bytesOf, isTextValue, joinTexts, needsStoring, previewOf, utf8Bytes } from './text';

describe('text values', () => {
  it('counts UTF-8 bytes exactly as Node does', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => expect(utf8Bytes(s)).toBe(Buffer.byteLength(s, 'utf8'))));
  });

  it('stores a text exactly when it is longer than the inline limit', () => {
    expect(needsStoring('a'.repeat(INLINE_TEXT_MAX_BYTES))).toBe(false);
    expect(needsStoring('a'.repeat(INLINE_TEXT_MAX_BYTES + 1))).toBe(true);
    expect(needsStoring('é'.repeat(INLINE_TEXT_MAX_BYTES / 2 + 1))).toBe(true);
  });

  it('joins short texts into a string and long ones into a reference to their parts', () => {
    expect(joinTexts(['1', '2'], '\n')).toBe('1\n2');
    const stored = { ref: `artifact://cas/${'0'.repeat(64)}`, preview: 'long…', bytes: 5000 };
    const joined = joinTexts(['a', stored], '|');
    expect(joined).toMatchObject({ join: ['a', stored], sep: '|', preview: 'a|long…', bytes: 5002 });
    expect(isTextValue(joined)).toBe(true);
    expect(bytesOf(joinTexts(['x'.repeat(800), 'y'.repeat(800)], '+'))).toBe(1601);
  });

  it('previews are what people read', () => {
    expect(previewOf('short')).toBe('short');
    expect(isTextValue({ ref: 1 })).toBe(false);
  });
});
