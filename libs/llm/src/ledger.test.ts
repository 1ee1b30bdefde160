import { sumLedger } from '@flowsteer/contracts';
import { defaultLocalBackend } from './config';
import { LlmError, redact } from './errors';
import { costUsd, estimateTokens, ledgerEntry } from './ledger';

describe('ledger cost arithmetic', () => {
  it('prices prompt and completion tokens per million', () => {
    expect(costUsd({ inputPerMTok: 0.15, outputPerMTok: 0.6 }, 1_000_000, 0)).toBe(0.15);
    expect(costUsd({ inputPerMTok: 0.15, outputPerMTok: 0.6 }, 0, 1_000_000)).toBe(0.6);
    expect(costUsd({ inputPerMTok: 0.15, outputPerMTok: 0.6 }, 1234, 567)).toBe(0.0005253);
    expect(costUsd({ inputPerMTok: 2.5, outputPerMTok: 10 }, 3, 1)).toBe(0.0000175);
    expect(costUsd({ inputPerMTok: 0, outputPerMTok: 0 }, 10_000, 10_000)).toBe(0);
    // no floating-point dust: 0.1 + 0.2 style sums come out clean
    expect(costUsd({ inputPerMTok: 0.1, outputPerMTok: 0.2 }, 1_000_000, 1_000_000)).toBe(0.3);
  });

  it('sums across entries with the contracts helper', () => {
    const b = { ...defaultLocalBackend({}), price: { inputPerMTok: 1, outputPerMTok: 3 } };
    const entries = [
      ledgerEntry(b, { promptTokens: 100, completionTokens: 10 }, 12.4, 1, 'a'),
      ledgerEntry(b, { promptTokens: 50, completionTokens: 5, estimated: true }, 3, 2),
    ];
    expect(entries[0]).toEqual({
      backend: 'local',
      model: 'SmolLM2-135M-Instruct-Q4_1',
      purpose: 'a',
      promptTokens: 100,
      completionTokens: 10,
      latencyMs: 12,
      costUsd: 0.00013,
      attempts: 1,
    });
    expect(entries[1]).toMatchObject({ usageEstimated: true, attempts: 2, costUsd: 0.000065 });
    expect(entries[1]).not.toHaveProperty('purpose');
    const sum = sumLedger(entries);
    expect(sum).toMatchObject({ promptTokens: 150, completionTokens: 15, calls: 2 });
    expect(sum.costUsd).toBeCloseTo(0.000195, 15);
  });

  it('estimates ~4 characters per token', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abc')).toBe(1);
    expect(estimateTokens('a'.repeat(41))).toBe(11);
  });
});

describe('redaction and errors', () => {
  it('removes known secrets, masked fragments and key-looking strings', () => {
    const key = 'sk-abcdefghijklmnopqrstuvwxyz123456';
    const text = `bad key ${key}; masked sk-abcd****3456; header Authorization: Bearer tok_9f8e7d6c5b4a; api_key=ZXCVBNMASDFGHJKL; url http://user:pa55@host/v1; hex ${'ab'.repeat(24)}`;
    const out = redact(text, [key]);
    for (const leak of [key, 'sk-abcd', 'tok_9f8e7d6c5b4a', 'ZXCVBNMASDFGHJKL', 'pa55', 'ab'.repeat(24)]) expect(out).not.toContain(leak);
    expect(out).toContain('api_key=[redacted]');
    expect(out).toContain('//[redacted]@host');
    expect(redact('max_tokens: 123456789 is too many')).toBe('max_tokens: 123456789 is too many');
  });

  it('LlmError carries backend, kind and retryability as plain data', () => {
    const e = new LlmError('boom', { backend: 'b', kind: 'rate-limit', status: 429 });
    expect(e.retryable).toBe(true);
    expect(new LlmError('x', { backend: 'b', kind: 'auth' }).retryable).toBe(false);
    expect(e.withAttempts(3, 'after 3 attempts: ').toJSON()).toEqual({
      backend: 'b',
      kind: 'rate-limit',
      retryable: true,
      status: 429,
      attempts: 3,
      message: 'after 3 attempts: boom',
    });
    expect(e.name).toBe('LlmError');
  });
});
