/**
 * Run by probes.test.ts as `node --import tsx fd-probe.ts` with a descriptor (fd 250) the test
 * leaves open without close-on-exec, as a worker's parent might: every isolating mechanism runs a
 * program that reads whatever its own and its init's descriptors above 2 hold, and prints it.
 */
import { isolatingRunners } from './sandboxes';

const code = `import os
for d in ('/proc/self/fd', '/proc/1/fd'):
    for n in os.listdir(d):
        if int(n) > 2:
            try:
                fd = os.open(d + '/' + n, os.O_RDONLY)
                print(d, n, os.read(fd, 200))
            except OSError as e:
                print(d, n, 'not readable', e.errno)
`;

async function main(): Promise<void> {
  const runners = await isolatingRunners(1);
  for (const { mechanism, runner } of runners) {
    const r = await runner.run({ code });
    console.log(`probe ran under ${mechanism}: ${r.stdout} ${r.stderr}`);
    await runner.close();
  }
}

void main();
