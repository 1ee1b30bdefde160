/** Code execution requests and results, as they travel to and from the sandbox task queue. */
export type StopReason = 'ok' | 'error' | 'timeout' | 'memory' | 'output-limit' | 'killed';

export interface CodeRunLimits {
  /** Wall-clock limit for the whole run, start-up included. */
  wallTimeMs?: number;
  /** CPU-time limit per process (RLIMIT_CPU). Defaults to the wall time rounded up to seconds. */
  cpuTimeSec?: number;
  /** Address-space limit per process (RLIMIT_AS). */
  memoryMb?: number;
  /** Processes and threads the program may have at once (RLIMIT_NPROC of its own uid). */
  maxProcesses?: number;
  /** stdout and stderr together; the run is stopped when it writes more. */
  maxOutputBytes?: number;
  /** Size of the writable working directory and of /tmp (each), and the largest file (RLIMIT_FSIZE). */
  diskMb?: number;
}

export interface CodeRunRequest {
  /** Python source of the program's main file. */
  code: string;
  stdin?: string;
  args?: string[];
  /** Extra files written into the fresh working directory, by relative path. */
  files?: Record<string, string>;
  limits?: CodeRunLimits;
  /** Extra environment variables for the program (the worker's own environment is never passed). */
  env?: Record<string, string>;
}

export interface CodeRunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  stopReason: StopReason;
  wallTimeMs: number;
  cpuTimeMs: number;
  /** Which isolation mechanism ran the code, e.g. "bubblewrap" or "unshare+rlimits". */
  isolation: string;
  /** Why the run stopped, in words, when it was not a clean exit (e.g. "wall-time limit of 2000 ms"). */
  detail?: string;
}
