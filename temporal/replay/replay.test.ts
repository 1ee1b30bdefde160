import { DeterminismViolationError } from '@temporalio/workflow';
import { join } from 'node:path';
import { loadRecordedHistories, replayAll } from './histories';

jest.setTimeout(120_000);

describe('recorded histories replay against the current workflow code', () => {
  const histories = loadRecordedHistories();

  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThan(0);
  });

  it('replays every recorded history without a determinism error', async () => {
    const results = await replayAll(histories);
    const failures = results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.message}`);
    expect(failures).toEqual([]);
    expect(results.map((r) => r.workflowId).sort()).toEqual(histories.map((h) => h.workflowId).sort());
  });

  it('fails replay when the workflow code changed incompatibly', async () => {
    const healthChecks = histories.filter((h) => h.workflowId.startsWith('health-check'));
    const results = await replayAll(healthChecks, join(__dirname, '..', 'test-fixtures', 'changed-health-check.ts'));
    expect(results).toHaveLength(healthChecks.length);
    for (const result of results) {
      expect(result.error).toBeInstanceOf(DeterminismViolationError);
    }
  });
});
