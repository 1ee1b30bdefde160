/**
 * A seccomp filter for bubblewrap (`--seccomp FD` takes a compiled classic-BPF program) and for the
 * unshare launcher (`SECCOMP_LOADER_PY` installs it after the privilege drop): denies,
 * with EPERM, the kernel interfaces a Python program under test has no use for and that cross the
 * sandbox's namespaces or widen the kernel's attack surface:
 * - the kernel keyrings (keyctl, add_key, request_key): they are not namespaced, so without this
 *   a run could read the worker's session keyring or leave data for the next run;
 * - io_uring, userfaultfd, perf_event_open, bpf: large kernel attack surface;
 * - ptrace, process_vm_readv/writev, kcmp, pidfd_getfd: reaching into other processes;
 * - kexec, module loading, open_by_handle_at, quotactl, add/remove swap, reboot, acct, settimeofday;
 * - socket(AF_VSOCK), which a network namespace does not cut off (host services over vsock).
 * Other syscalls, and other architectures than the host's (a filter that sees a foreign ABI kills
 * the process), as usual. No library needed: the program is assembled here (x86_64 and aarch64).
 */

// BPF opcodes
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;

const RET_ALLOW = 0x7fff0000;
const RET_KILL_PROCESS = 0x80000000;
const RET_ERRNO_EPERM = 0x00050000 | 1;

const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const OFFSET_ARG0 = 16; // low 32 bits on little-endian machines

const AF_VSOCK = 40;

interface ArchTable {
  audit: number;
  socket: number;
  denied: Record<string, number>;
  /** x86_64: the x32 ABI shares the arch value; its syscalls have bit 30 set. */
  x32Bit?: number;
}

const X86_64: ArchTable = {
  audit: 0xc000003e,
  socket: 41,
  x32Bit: 0x40000000,
  denied: {
    keyctl: 250,
    add_key: 248,
    request_key: 249,
    io_uring_setup: 425,
    io_uring_enter: 426,
    io_uring_register: 427,
    userfaultfd: 323,
    perf_event_open: 298,
    bpf: 321,
    ptrace: 101,
    process_vm_readv: 310,
    process_vm_writev: 311,
    kcmp: 312,
    pidfd_getfd: 438,
    kexec_load: 246,
    kexec_file_load: 320,
    init_module: 175,
    finit_module: 313,
    delete_module: 176,
    open_by_handle_at: 304,
    name_to_handle_at: 303,
    quotactl: 179,
    swapon: 167,
    swapoff: 168,
    reboot: 169,
    acct: 163,
    settimeofday: 164,
    clock_settime: 227,
    adjtimex: 159,
    clock_adjtime: 305,
    syslog: 103,
    lookup_dcookie: 212,
    fanotify_init: 300,
  },
};

const AARCH64: ArchTable = {
  audit: 0xc00000b7,
  socket: 198,
  denied: {
    keyctl: 219,
    add_key: 217,
    request_key: 218,
    io_uring_setup: 425,
    io_uring_enter: 426,
    io_uring_register: 427,
    userfaultfd: 282,
    perf_event_open: 241,
    bpf: 280,
    ptrace: 117,
    process_vm_readv: 270,
    process_vm_writev: 271,
    kcmp: 272,
    pidfd_getfd: 438,
    kexec_load: 104,
    kexec_file_load: 294,
    init_module: 105,
    finit_module: 273,
    delete_module: 106,
    open_by_handle_at: 265,
    name_to_handle_at: 264,
    quotactl: 60,
    swapon: 224,
    swapoff: 225,
    reboot: 142,
    acct: 89,
    settimeofday: 170,
    clock_settime: 112,
    adjtimex: 171,
    clock_adjtime: 266,
    syslog: 116,
    lookup_dcookie: 18,
    fanotify_init: 262,
  },
};

/** The syscalls the filter denies (for documentation and tests). */
export function deniedSyscalls(): string[] {
  return Object.keys(X86_64.denied);
}

function table(arch: string): ArchTable | undefined {
  return arch === 'x64' ? X86_64 : arch === 'arm64' ? AARCH64 : undefined;
}

/** The compiled filter (struct sock_filter[]) for this machine, or undefined on other architectures. */
export function seccompProgram(arch: string = process.arch): Buffer | undefined {
  const t = table(arch);
  if (!t) return undefined;
  type Insn = { code: number; jt: number; jf: number; k: number; denyJump?: boolean; allowJump?: boolean };
  const prog: Insn[] = [];
  prog.push({ code: LD_W_ABS, jt: 0, jf: 0, k: OFFSET_ARCH });
  prog.push({ code: JEQ_K, jt: 1, jf: 0, k: t.audit });
  prog.push({ code: RET_K, jt: 0, jf: 0, k: RET_KILL_PROCESS });
  prog.push({ code: LD_W_ABS, jt: 0, jf: 0, k: OFFSET_NR });
  if (t.x32Bit) prog.push({ code: JGE_K, jt: 0, jf: 0, k: t.x32Bit, denyJump: true });
  for (const nr of Object.values(t.denied)) prog.push({ code: JEQ_K, jt: 0, jf: 0, k: nr, denyJump: true });
  // socket(AF_VSOCK, ...): not a socket call -> allow; else look at the family
  prog.push({ code: JEQ_K, jt: 0, jf: 0, k: t.socket, allowJump: true });
  prog.push({ code: LD_W_ABS, jt: 0, jf: 0, k: OFFSET_ARG0 });
  prog.push({ code: JEQ_K, jt: 0, jf: 0, k: AF_VSOCK, denyJump: true });
  const allowAt = prog.length;
  prog.push({ code: RET_K, jt: 0, jf: 0, k: RET_ALLOW });
  const denyAt = prog.length;
  prog.push({ code: RET_K, jt: 0, jf: 0, k: RET_ERRNO_EPERM });
  const buf = Buffer.alloc(prog.length * 8);
  prog.forEach((insn, i) => {
    let { jt, jf } = insn;
    if (insn.denyJump) jt = denyAt - (i + 1);
    if (insn.allowJump) jf = allowAt - (i + 1);
    if (jt > 255 || jf > 255) throw new Error('seccomp program too long for BPF jumps');
    buf.writeUInt16LE(insn.code, i * 8);
    buf.writeUInt8(jt, i * 8 + 2);
    buf.writeUInt8(jf, i * 8 + 3);
    buf.writeUInt32LE(insn.k >>> 0, i * 8 + 4);
  });
  return buf;
}

/**
 * Installs the filter read from a descriptor, then execs the program named by its arguments: the
 * unshare launcher has no `--seccomp`, so the sandbox's own Python does what bwrap does, after
 * setpriv dropped every privilege and set no_new_privs (which seccomp requires of an unprivileged
 * caller). Run as `python -S -E -c LOADER FD program args...`; the descriptor is closed before the
 * exec, and a failure to install ends the run (it never goes on unfiltered).
 */
export const SECCOMP_LOADER_PY = `import ctypes, os, sys
fd = int(sys.argv[1]); data = b''
while True:
    chunk = os.read(fd, 65536)
    if not chunk: break
    data += chunk
os.close(fd)
class Prog(ctypes.Structure): _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]
buf = ctypes.create_string_buffer(data, len(data))
prog = Prog(len(data) // 8, ctypes.cast(buf, ctypes.c_void_p))
libc = ctypes.CDLL(None, use_errno=True)
if len(data) == 0 or len(data) % 8 or libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.byref(prog), 0, 0) != 0:
    os.write(2, b'sandbox: the seccomp filter could not be installed (errno %d)\\n' % ctypes.get_errno()); os._exit(126)
os.execv(sys.argv[2], sys.argv[2:])
`;
