import { Command } from 'commander';
import { evalCommand, type EvalOptions } from './commands/eval';
import { health } from './commands/health';
import { score, type ScoreOptions } from './commands/score';
import { fork, replay, show } from './commands/sessions';
import { solve, type SolveOptions } from './commands/solve';
import { train, type TrainOptions } from './commands/train';
import { transfer, type TransferOptions } from './commands/transfer';
import { down, status, up } from './commands/up-down-status';
import { CliError } from './processes';

const program = new Command('flowsteer').description('FlowSteer on Temporal: steer agentic workflows with a trained director');

/** What went wrong, in words: the message and its causes; the stack only with FLOWSTEER_DEBUG=1. */
function describeError(err: unknown): string {
  if (err instanceof CliError) return err.message;
  if (process.env.FLOWSTEER_DEBUG === '1') return String((err as Error)?.stack ?? err);
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error && parts.length < 5; e = (e as { cause?: unknown }).cause) {
    if (e.message && !parts.includes(e.message)) parts.push(e.message);
  }
  return `${parts.join(': ') || String(err)} (FLOWSTEER_DEBUG=1 shows the stack)`;
}

function action<A extends unknown[]>(fn: (...args: A) => Promise<void | number>) {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (err) {
      console.error(`flowsteer: ${describeError(err)}`);
      process.exitCode = 1;
    }
  };
}

program.command('up').description('start the Temporal dev server and a worker in the background').action(action(up));
program.command('down').description('stop the worker (gracefully) and the dev server').action(action(down));
program.command('status').description('show what runs where').action(action(status));
program
  .command('health')
  .description('run the minimal health-check workflow through the running worker')
  .option('-m, --message <text>', 'text to echo', 'hello from flowsteer')
  .action(action((opts: { message: string }) => health(opts.message)));

program
  .command('solve')
  .description('solve problems with durable canvas sessions (director + executor), with live progress and a results table')
  .option('-d, --dataset <name>', 'benchmark from ../shared/bench (gsm8k, math, hotpotqa, ...)')
  .option('-f, --file <path>', 'your own problems: JSONL with "problem" and optional "answer"/"answers", "taskType"')
  .option('-p, --problem <text>', 'one problem given on the command line')
  .option('--answer <text>', 'gold answer for --problem (then the session is scored)')
  .option('--task-type <type>', 'math | qa | code | multiple-choice (for --problem and --file)', 'math')
  .option('-n, --limit <n>', 'number of problems', '1')
  .option('--seed <n>', 'sampling seed for --dataset', '42')
  .option('--director <backend>', 'director backend name', 'local')
  .option('--executor <backend>', 'executor backend name', 'local')
  .option('--max-turns <n>', 'director turns per session', '20')
  .option('--prompt-mode <mode>', 'compact (released model) or full-history (paper)', 'compact')
  .option('--json', 'print the results as JSON')
  .action(action((opts: SolveOptions) => solve(opts)));

program
  .command('train')
  .description(
    'CWRPO training run train-<name>: live progress per step; metrics.jsonl, plot.svg and TensorBoard logs in .flowsteer/runs/<name>/',
  )
  .requiredOption('-c, --config <file>', 'training config (YAML): see apps/cli/train-configs/')
  .option('--name <name>', "run name (default: the config's name)")
  .option('--out <dir>', 'where metrics.jsonl, plot.svg and the TensorBoard events go (default .flowsteer/runs/<name>)')
  .option('--detach', 'start the run and return; a later `flowsteer train` with the same config follows it')
  .option(
    '--dry-run',
    'check the model name, backends (reachable, serving the model), token ids and the workflow and learner queues; start nothing',
  )
  .option('--interval <seconds>', 'progress poll interval', '2')
  .action(action((opts: TrainOptions) => train(opts)));

program
  .command('show <workflowId>')
  .description("a session's canvas DSL, transcript and token/cost ledger")
  .option('--json', 'print as JSON')
  .action(action((id: string, opts: { json?: boolean }) => show(id, opts)));
program
  .command('replay <workflowId>')
  .description("replay a session's history against the current workflow code (determinism check) and print its transcript; calls no LLM")
  .action(action((id: string) => replay(id)));
program
  .command('fork <workflowId>')
  .description('start a new session from the canvas of turn K of an earlier one')
  .requiredOption('-k, --turn <K>', 'director turn to fork after (0 = the empty canvas)')
  .option('--director <backend>', 'director backend for the new session (default: the original one)')
  .option('--executor <backend>', 'executor backend for the new session (default: the original one)')
  .option('--max-turns <n>', 'turn budget of the new session (default: the original one)')
  .action(action((id: string, opts: { turn: string; director?: string; executor?: string; maxTurns?: string }) => fork(id, opts)));

program
  .command('eval')
  .description(
    "evaluation run: FlowSteer sessions (and baselines) over seeded samples of benchmarks, live progress, the paper's results table and report files",
  )
  .option(
    '--datasets <names>',
    'comma-separated benchmarks (gsm8k,math,hotpotqa,squad_v2,mbpp,humaneval,mathqa,aime2025,triviaqa,nq,apps,ds1000)',
    'gsm8k',
  )
  .option('--per-dataset <n>', 'items sampled per dataset (the paper: 128)', '128')
  .option('--seed <n>', 'sampling seed (the paper: 42)', '42')
  .option('--baselines', 'also run the baselines: the executor alone (one call) and a fixed hand-written workflow')
  .option('--director <backend>', 'director backend name', 'local')
  .option('--executor <backend>', 'executor backend name', 'local')
  .option('--max-turns <n>', 'director turns per session', '20')
  .option('--concurrency <n>', 'sessions (and baseline calls) at once', '4')
  .option('--prompt-mode <mode>', 'compact (released model) or full-history (paper)', 'compact')
  .option('--name <name>', 'run name; the workflow id is eval-<name>-<suffix>', 'eval')
  .option('--llm-calls <how>', 'local (local activities: less orchestration, signals and queries wait up to ~8 s) or activity', 'local')
  .option('--json', 'print the result as JSON')
  .action(action((opts: EvalOptions) => evalCommand(opts)));
program
  .command('transfer <reports...>')
  .description(
    'backend-transfer figure: evaluation reports of one director with several executors (report.json files or their folders) as a table and an SVG chart',
  )
  .option('--out <file>', 'where the SVG goes', 'transfer.svg')
  .action(action((reports: string[], opts: TransferOptions) => transfer(reports, opts)));
program
  .command('score')
  .description(
    'score a predictions file offline: per-line scores as JSONL and a summary table (canonical, lenient, symbolic and FlowSteer-compatible metrics)',
  )
  .option('-f, --file <path>', 'JSONL lines {"dataset"|"metric", "prediction", "answers"|"answer", "id"?, "options"?, "human_answers"?}')
  .option('--json', 'no readable summary on stderr (the JSON summary line is always printed)')
  .option('--no-symbolic', 'skip the symbolic (sympy) check of MATH/AIME/MathQA lines (it runs in the code sandbox)')
  .action(action((opts: ScoreOptions) => score(opts)));

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`flowsteer: ${err.message}`);
  process.exitCode = 1;
});
