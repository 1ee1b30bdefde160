import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { workerWorkflowOptions } from '@flowsteer/temporal-runtime';

export const HISTORIES_DIR = join(__dirname, '..', 'histories');

export interface RecordedHistory {
  file: string;
  workflowId: string;
  history: ReturnType<typeof historyFromJSON>;
}

/**
 * Every recorded history under temporal/histories/: `<workflow id>.json`, or `<workflow id>-run-<n>.json`
 * for the runs of a continue-as-new chain (workflows that derive child ids from their own id need
 * the real one to replay).
 */
export function loadRecordedHistories(dir = HISTORIES_DIR): RecordedHistory[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      workflowId: basename(file, '.json').replace(/-run-\d+$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
    }));
}

/** Replays histories against a workflow entry point (the real one by default); returns every result. */
export async function replayAll(histories: RecordedHistory[], workflowsPath?: string): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  const iterable = histories.map(({ workflowId, history }) => ({ workflowId, history }));
  for await (const result of Worker.runReplayHistories(
    { ...workerWorkflowOptions(workflowsPath), replayName: 'flowsteer-replay' },
    iterable,
  )) {
    results.push(result);
  }
  return results;
}
