import { Command } from 'commander';
import { health } from './commands/health';
import { down, status, up } from './commands/up-down-status';
import { CliError } from './processes';

const program = new Command('flowsteer').description('FlowSteer on Temporal: steer agentic workflows with a trained director');

function action<A extends unknown[]>(fn: (...args: A) => Promise<void | number>) {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      if (typeof code === 'number') process.exitCode = code;
    } catch (err) {
      console.error(`flowsteer: ${err instanceof CliError ? err.message : (err as Error).stack}`);
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

program.parseAsync(process.argv).catch((err: Error) => {
  console.error(`flowsteer: ${err.message}`);
  process.exitCode = 1;
});
