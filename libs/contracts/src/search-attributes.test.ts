import { SEARCH_ATTRIBUTES, searchAttributeCliPairs } from './search-attributes';
import { TASK_QUEUES } from './task-queues';

describe('search attributes', () => {
  it('registers every attribute the design names, each with a Temporal type', () => {
    expect(Object.keys(SEARCH_ATTRIBUTES).sort()).toEqual([
      'FlowSteerDataset',
      'FlowSteerOwner',
      'FlowSteerPolicyVersion',
      'FlowSteerRun',
      'FlowSteerScore',
      'FlowSteerStatus',
      'FlowSteerTaskType',
      'FlowSteerTurns',
    ]);
    expect(SEARCH_ATTRIBUTES.FlowSteerScore).toBe('Double');
    expect(SEARCH_ATTRIBUTES.FlowSteerTurns).toBe('Int');
  });

  it('renders CLI pairs as NAME=TYPE', () => {
    const pairs = searchAttributeCliPairs();
    expect(pairs).toContain('FlowSteerTurns=Int');
    expect(pairs.every((p) => /^FlowSteer[A-Za-z]+=(Keyword|Double|Int)$/.test(p))).toBe(true);
  });

  it('names distinct task queues', () => {
    expect(new Set(Object.values(TASK_QUEUES)).size).toBe(3);
  });
});

describe('typed search attribute keys', () => {
  it('match the registered names and types', async () => {
    const { SA } = await import('./search-attributes');
    for (const key of Object.values(SA)) {
      expect(SEARCH_ATTRIBUTES[key.name as keyof typeof SEARCH_ATTRIBUTES].toUpperCase()).toBe(key.type);
    }
  });
});
