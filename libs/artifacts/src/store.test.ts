import { mkdtempSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { INLINE_TEXT_MAX_BYTES, joinTexts, previewOf, type StoredText } from '@flowsteer/contracts';
import { ArtifactRefError, ArtifactStore } from './store';

function freshStore(): ArtifactStore {
  return new ArtifactStore(join(mkdtempSync(join(tmpdir(), 'fs-artifacts-')), 'store'));
}

describe('ArtifactStore', () => {
  it('keeps short texts whole and stores long ones once, by content', async () => {
    const store = freshStore();
    expect(await store.putText('42')).toBe('42');
    const long = 'x'.repeat(INLINE_TEXT_MAX_BYTES + 1);
    const a = (await store.putText(long)) as StoredText;
    const b = (await store.putText(long)) as StoredText;
    expect(a.ref).toMatch(/^artifact:\/\/cas\/[0-9a-f]{64}$/);
    expect(b).toEqual(a);
    expect(a.bytes).toBe(long.length);
    expect(a.preview.length).toBeLessThan(long.length);
    expect(await store.readText(a)).toBe(long);
    expect(readdirSync(join(store.root, 'cas')).length).toBe(1);
  });

  it('reads back any text it was given, whatever its size or alphabet', async () => {
    const store = freshStore();
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 3000 }), async (text) => {
        const value = await store.putText(text);
        expect(await store.readText(value)).toBe(text);
        expect(previewOf(value).length).toBeLessThanOrEqual(Math.max(text.length, 601));
      }),
      { numRuns: 60 },
    );
  });

  it('resolves joined texts part by part', async () => {
    const store = freshStore();
    const big = 'b'.repeat(5000);
    const joined = joinTexts(['one', await store.putText(big), 'three'], '\n---\n');
    expect(typeof joined).toBe('object');
    expect(await store.readText(joined)).toBe(`one\n---\n${big}\n---\nthree`);
  });

  it('round-trips named JSON, idempotently by (kind, id)', async () => {
    const store = freshStore();
    const ref = await store.putJson('sessions', 'session-gsm8k-1-abc/run-0', { turns: 3 });
    expect(ref).toBe('artifact://sessions/session-gsm8k-1-abc_run-0.json');
    expect(await store.putJson('sessions', 'session-gsm8k-1-abc/run-0', { turns: 3 })).toBe(ref);
    expect(await store.getJson(ref)).toEqual({ turns: 3 });
  });

  it.each([
    '/etc/passwd',
    'file:///etc/passwd',
    'artifact:///etc/passwd',
    'artifact://../../etc/passwd',
    'artifact://runs/../../x.json',
    'artifact://runs/./x.json',
    'artifact://runs//x.json',
    'artifact://runs\\..\\x.json',
    'artifact://x\u0000.json',
    'artifact://cas/../../etc/passwd',
    'artifact://cas/NOTAHASH',
    'artifact://',
  ])('refuses the reference %j', (ref) => {
    const store = freshStore();
    expect(() => store.resolve(ref)).toThrow(ArtifactRefError);
  });

  it('refuses a reference that leaves the store through a symbolic link', async () => {
    const store = freshStore();
    const outside = mkdtempSync(join(tmpdir(), 'fs-outside-'));
    writeFileSync(join(outside, 'secret.json'), '{"secret":1}');
    mkdirSync(store.root, { recursive: true });
    symlinkSync(outside, join(store.root, 'escape'));
    await expect(store.getJson('artifact://escape/secret.json')).rejects.toThrow(/through a link/);
  });

  it('says which reference is missing', async () => {
    const store = freshStore();
    await expect(store.getBlob(`artifact://cas/${'a'.repeat(64)}`)).rejects.toMatchObject({ kind: 'missing' });
  });
});
