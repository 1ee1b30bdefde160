/**
 * Prints, as shell assignments (CHART_*=...), the values of our chart (infra/helm/flowsteer/values.yaml)
 * that the chart's templates turn into the processes' environment variables, so that cluster.sh gives
 * each local process the same settings as its pod: slots of the canvas workers, the sandbox's
 * concurrency and mechanism, the API's body limit and stream limits, the learner's graceful seconds,
 * the worker-versioning settings and the Temporal namespace.
 *
 *   npx tsx infra/local-cluster/chart-env.ts [values.yaml]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const file = resolve(process.argv[2] ?? join(__dirname, '..', 'helm', 'flowsteer', 'values.yaml'));
const v = parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;

function at(path: string): string {
  let cur: unknown = v;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(key in cur)) throw new Error(`${file}: ${path} is missing`);
    cur = (cur as Record<string, unknown>)[key];
  }
  if (typeof cur === 'object') throw new Error(`${file}: ${path} is not a scalar`);
  return String(cur);
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const out: Record<string, string> = {
  CHART_VALUES: file,
  CHART_NAMESPACE: at('temporal.namespace'),
  CHART_CANVAS_REPLICAS: at('canvasWorker.replicas'),
  CHART_CANVAS_WFT: at('canvasWorker.maxConcurrentWorkflowTaskExecutions'),
  CHART_CANVAS_ACTIVITIES: at('canvasWorker.maxConcurrentActivityTaskExecutions'),
  CHART_CANVAS_LOCAL_ACTIVITIES: at('canvasWorker.maxConcurrentLocalActivityExecutions'),
  CHART_CANVAS_CACHE: at('canvasWorker.maxCachedWorkflows'),
  CHART_SANDBOX_CONCURRENCY: at('sandboxWorker.concurrency'),
  CHART_SANDBOX_MECHANISM: at('sandboxWorker.mechanism'),
  CHART_API_BODY_LIMIT: at('api.bodyLimit'),
  CHART_API_STREAMS_PER_PRINCIPAL: at('api.streams.perPrincipal'),
  CHART_API_STREAMS_TOTAL: at('api.streams.total'),
  CHART_API_TLS_UPSTREAM: at('api.tlsTerminatedUpstream'),
  CHART_LEARNER_GRACEFUL: at('learner.gracefulSeconds'),
  CHART_VERSIONING: at('worker.versioning.enabled'),
  CHART_DEPLOYMENT_NAME: at('worker.versioning.deploymentName'),
  CHART_DEFAULT_BEHAVIOR: at('worker.versioning.defaultBehavior'),
};
for (const [k, val] of Object.entries(out)) console.log(`${k}=${quote(val)}`);
