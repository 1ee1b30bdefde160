import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EVAL_NON_RETRYABLE, FAILURE, LEARNER_NON_RETRYABLE, SESSION_NON_RETRYABLE, TRAINING_NON_RETRYABLE } from '@flowsteer/contracts';
import { OPERATOR_FAILURE } from '@flowsteer/operators';
import { WORKSPACE_ROOT } from '@flowsteer/temporal-runtime';

/** Every non-test source file of the product (TypeScript and the Python learner). */
function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'test-support' || name === 'tests' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.(ts|py)$/.test(name) && !/\.test\.ts$/.test(name)) out.push(path);
  }
  return out;
}

describe('the failure catalogue (libs/contracts/src/failures.ts)', () => {
  const files = [...sources(join(WORKSPACE_ROOT, 'libs')), ...sources(join(WORKSPACE_ROOT, 'apps'))]
    .filter((f) => !f.endsWith(join('contracts', 'src', 'failures.ts')))
    .map((f) => ({ file: relative(WORKSPACE_ROOT, f), text: readFileSync(f, 'utf8') }));

  it.each(Object.entries(FAILURE))('%s (%s) is thrown somewhere, not only listed', (key, type) => {
    const throwers = files.filter(
      ({ text }) => text.includes(`FAILURE.${key}`) || text.includes(`'${type}'`) || text.includes(`"${type}"`),
    );
    // the retry lists of libs/workflows read the catalogue through the *_NON_RETRYABLE arrays, so a hit is a thrower
    expect(throwers.map((t) => t.file)).not.toEqual([]);
  });

  it('has every failure type the operators define', () => {
    const catalogue = new Set<string>(Object.values(FAILURE));
    for (const type of Object.values(OPERATOR_FAILURE)) expect(catalogue.has(type)).toBe(true);
  });

  it('retry lists name catalogue types only', () => {
    const catalogue = new Set<string>(Object.values(FAILURE));
    for (const type of [...SESSION_NON_RETRYABLE, ...EVAL_NON_RETRYABLE, ...TRAINING_NON_RETRYABLE, ...LEARNER_NON_RETRYABLE])
      expect(catalogue.has(type)).toBe(true);
  });

  it('no workflow names a failure type outside the catalogue in nonRetryableErrorTypes', () => {
    const literalLists = files
      .filter(({ file }) => file.startsWith(join('libs', 'workflows')))
      .flatMap(({ file, text }) =>
        [...text.matchAll(/nonRetryableErrorTypes:\s*\[([^\]]*)\]/g)]
          .filter(([, body = '']) => /['"]/.test(body))
          .map(([m]) => `${file}: ${m}`),
      );
    expect(literalLists).toEqual([]);
  });
});
