/**
 * Host uids for sandboxed programs. Every run gets a uid that no other live run (in this process or
 * in another worker process on the host) uses, so that RLIMIT_NPROC counts only that run's
 * processes and "kill everything owned by this uid" kills exactly that run's leftovers.
 *
 * uid = base + (pid % 4,000,000) * 256 + slot, with base 1,000,000,000 by default
 * (FLOWSTEER_SANDBOX_UID_BASE). Pids of live processes are unique, so two workers never collide;
 * the range stays below 2^31.
 */
const SLOTS_PER_PROCESS = 256;
const inUse = new Set<number>();

export const DEFAULT_UID_BASE = 1_000_000_000;

export function uidBase(): number {
  const raw = process.env.FLOWSTEER_SANDBOX_UID_BASE;
  if (raw === undefined || raw === '') return DEFAULT_UID_BASE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1000 || n + 4_000_000 * SLOTS_PER_PROCESS >= 2 ** 31) {
    throw new RangeError(
      `FLOWSTEER_SANDBOX_UID_BASE=${raw}: use an integer between 1000 and ${2 ** 31 - 1 - 4_000_000 * SLOTS_PER_PROCESS}`,
    );
  }
  return n;
}

export function processUidRange(base = uidBase()): { first: number; last: number } {
  const first = base + (process.pid % 4_000_000) * SLOTS_PER_PROCESS;
  return { first, last: first + SLOTS_PER_PROCESS - 1 };
}

/** Takes a free uid of this process's range; undefined when all 256 are taken. */
export function takeUid(base = uidBase()): number | undefined {
  const { first } = processUidRange(base);
  for (let slot = 0; slot < SLOTS_PER_PROCESS; slot++) {
    const uid = first + slot;
    if (!inUse.has(uid)) {
      inUse.add(uid);
      return uid;
    }
  }
  return undefined;
}

export function returnUid(uid: number): void {
  inUse.delete(uid);
}
