import { createHash } from 'node:crypto';
import { ServiceUnavailableException } from '@nestjs/common';
import { BenchDataMissingError, loadDataset } from '@flowsteer/bench';
import type { BenchTask } from '@flowsteer/contracts';
import { validationFailed } from '../common/zod-validation.pipe';
import type { StartSessionDto } from './session.schemas';

/** Loaded datasets by name: a benchmark file is read once per process, not once per request. */
const loaded = new Map<string, Map<string, BenchTask>>();

function datasetItems(name: string): Map<string, BenchTask> {
  const cached = loaded.get(name);
  if (cached) return cached;
  let result;
  try {
    result = loadDataset(name);
  } catch (err) {
    // the loader's messages name server paths: say what is wrong without them
    if (err instanceof BenchDataMissingError)
      throw new ServiceUnavailableException(`the benchmark data of "${name}" is not installed on this server`);
    throw validationFailed('request body', [{ field: 'dataset', message: `cannot load dataset "${name}"` }]);
  }
  const items = new Map(result.tasks.map((t) => [t.id, t]));
  loaded.set(name, items);
  return items;
}

/** The task a start request names: an ad-hoc problem, or one item of a benchmark. */
export function resolveTask(body: StartSessionDto): BenchTask {
  if (body.problem !== undefined) {
    const id = createHash('sha1').update(body.problem).digest('hex').slice(0, 10);
    return { dataset: 'adhoc', id, taskType: body.taskType, problem: body.problem, answers: body.answers ?? [] };
  }
  const items = datasetItems(body.dataset as string);
  const task = items.get(body.item as string);
  if (!task) {
    const examples = [...items.keys()]
      .slice(0, 3)
      .map((k) => `"${k}"`)
      .join(', ');
    throw validationFailed('request body', [
      { field: 'item', message: `no item "${String(body.item).slice(0, 200)}" in ${body.dataset} (ids look like ${examples})` },
    ]);
  }
  return task;
}

/** A fresh suffix: time in base 36 plus randomness, so concurrent starts never collide. */
export function newSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
