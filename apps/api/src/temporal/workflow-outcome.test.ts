import { redactServerPaths } from './workflow-outcome';

describe('failure messages through the API', () => {
  it('hide server paths and keep the rest', () => {
    expect(redactServerPaths('dataset "gsm8k": GSM8K: no data at /work/shared/bench/gsm8k/test.jsonl (set FLOWSTEER_BENCH_DIR)')).toBe(
      'dataset "gsm8k": GSM8K: no data at <server path> (set FLOWSTEER_BENCH_DIR)',
    );
    expect(redactServerPaths('unknown backend "x" (from /etc/flowsteer/backends.yaml)')).toBe('unknown backend "x" (from <server path>)');
    expect(redactServerPaths('ratio 3/4 and http://host/v1 stay')).toBe('ratio 3/4 and http://host/v1 stay');
  });
});
