/** Code execution requests and results, as they travel to and from the sandbox task queue. */
export type StopReason = 'ok' | 'error' | 'timeout' | 'memory' | 'output-limit' | 'killed';

export interface CodeRunLimits {
  wallTimeMs?: number;
  cpuTimeSec?: number;
  memoryMb?: number;
  maxProcesses?: number;
  maxOutputBytes?: number;
}

export interface CodeRunRequest {
  /** Python source of the program's main file. */
  code: string;
  stdin?: string;
  args?: string[];
  /** Extra files written into the fresh working directory, by relative path. */
  files?: Record<string, string>;
  limits?: CodeRunLimits;
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
}
