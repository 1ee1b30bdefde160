import { constants as osConstants } from 'node:os';
import type { StopReason } from '@flowsteer/contracts';
import type { ResolvedLimits } from './limits';

/** Stop classification and the wrapper's status report (pure; split out of runner.ts). */
const OUTPUT_TAIL_FOR_CLASSIFY = 4096;

export function signalName(n: number): string | null {
  for (const [name, num] of Object.entries(osConstants.signals)) if (num === n) return name;
  return null;
}

const MEMORY_PATTERNS = [
  /^(?:\w+\.)*\w*MemoryError\b/m,
  /Cannot allocate memory/,
  /std::bad_alloc/,
  /Unable to allocate [\d.]+ \w+ for an array/,
  /out of memory/i,
];
const DISK_PATTERNS = [/No space left on device/, /File too large/];

/** Decides why a run stopped from what is known when it ended (pure; unit-tested). */
export function classifyStop(input: {
  killedFor?: 'timeout' | 'output-limit' | 'cancelled';
  exitCode: number | null;
  signal: string | null;
  cpuTimeMs: number;
  limits: ResolvedLimits;
  stderr: string;
  /** The run's memory cgroup saw the kernel kill a process for exceeding the per-run limit. */
  oomKilled?: boolean;
}): { stopReason: StopReason; detail?: string } {
  const { limits } = input;
  if (input.killedFor === 'timeout') return { stopReason: 'timeout', detail: `wall-time limit of ${limits.wallTimeMs} ms reached` };
  if (input.killedFor === 'output-limit')
    return { stopReason: 'output-limit', detail: `output limit of ${limits.maxOutputBytes} bytes (stdout + stderr) reached` };
  if (input.killedFor === 'cancelled') return { stopReason: 'killed', detail: 'cancelled by the caller' };
  const cpuLimitMs = limits.cpuTimeSec * 1000;
  if (input.signal === 'SIGXCPU' || (input.signal === 'SIGKILL' && input.cpuTimeMs >= cpuLimitMs * 0.9)) {
    return { stopReason: 'timeout', detail: `CPU-time limit of ${limits.cpuTimeSec} s reached` };
  }
  if (input.signal === 'SIGXFSZ') return { stopReason: 'output-limit', detail: `file-size limit of ${limits.diskMb} MB reached` };
  if (input.exitCode === 0 && input.signal === null) return { stopReason: 'ok' };
  if (input.oomKilled) return { stopReason: 'memory', detail: `memory limit of ${limits.memoryMb} MB for the whole run reached (cgroup)` };
  const tail = input.stderr.slice(-OUTPUT_TAIL_FOR_CLASSIFY);
  const lastLines = tail.trimEnd().split('\n').slice(-3).join('\n');
  if (MEMORY_PATTERNS.some((p) => p.test(lastLines)))
    return { stopReason: 'memory', detail: `memory limit of ${limits.memoryMb} MB reached` };
  if (DISK_PATTERNS.some((p) => p.test(lastLines)))
    return { stopReason: 'output-limit', detail: `disk limit of ${limits.diskMb} MB reached` };
  if (input.signal && ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT'].includes(input.signal)) {
    return { stopReason: 'killed', detail: `terminated by ${input.signal}` };
  }
  if (input.signal) return { stopReason: 'error', detail: `crashed with ${input.signal}` };
  return { stopReason: 'error', detail: `exit code ${input.exitCode}` };
}

/**
 * Parses the wrapper's report: "flowsteer-status <rc>" then `times` (self, then children). The
 * wrapper writes it last, after the program ended: the last one counts (the program could write
 * earlier ones through /proc/1/fd).
 */
export function parseStatus(text: string): { rc: number; cpuTimeMs: number } | undefined {
  const all = [...text.matchAll(/flowsteer-status (\d+)\n[^\n]*\n\s*(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/g)];
  const m = all[all.length - 1];
  if (!m) return undefined;
  const [, rc, um, us, sm, ss] = m;
  const cpu = (Number(um) * 60 + Number(us) + Number(sm) * 60 + Number(ss)) * 1000;
  return { rc: Number(rc), cpuTimeMs: Math.round(cpu) };
}
