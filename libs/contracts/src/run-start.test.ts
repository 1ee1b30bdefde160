import { runStartOptions } from './run-start';
import { SA } from './search-attributes';

describe('runStartOptions', () => {
  it('gives every run its name, id, status and owner, and the policy version only when named', () => {
    const o = runStartOptions('eval-a-x1', { name: 'a', datasets: ['gsm8k'] }, 'alice');
    expect(o).toMatchObject({ workflowId: 'eval-a-x1', args: [{ name: 'a', datasets: ['gsm8k'] }], memo: { name: 'a' } });
    expect(o.typedSearchAttributes.get(SA.run)).toBe('eval-a-x1');
    expect(o.typedSearchAttributes.get(SA.status)).toBe('running');
    expect(o.typedSearchAttributes.get(SA.owner)).toBe('alice');
    expect(o.typedSearchAttributes.get(SA.policyVersion)).toBeUndefined();
    expect(runStartOptions('eval-b', { name: 'b' }, 'bob', 'step-3').typedSearchAttributes.get(SA.policyVersion)).toBe('step-3');
  });
});
