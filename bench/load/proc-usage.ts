/** CPU and memory of another process from Linux /proc (parsers pure, reader tolerant). */
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
export const CLOCK_TICKS_PER_S = 100;

/** utime + stime in seconds from the text of /proc/<pid>/stat; the command may contain spaces. */
export function parseStatCpuSeconds(stat: string): number {
  const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields from `state` (3rd) on: utime is the 14th field, stime the 15th.
  const utime = Number(afterComm[11]);
  const stime = Number(afterComm[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error('unreadable /proc stat line');
  }
  return (utime + stime) / CLOCK_TICKS_PER_S;
}

/**
 * From the text of /proc/<pid>/stat: the parent pid, and the CPU seconds of the process's
 * children that have exited and were waited for (cutime + cstime), which keeps the CPU of a
 * recorder worker that died mid-step.
 */
export function parseStatFamily(stat: string): { ppid: number; reapedChildrenCpuS: number } {
  const afterComm = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(afterComm[1]);
  const cutime = Number(afterComm[13]);
  const cstime = Number(afterComm[14]);
  if (![ppid, cutime, cstime].every(Number.isFinite)) throw new Error('unreadable /proc stat line');
  return { ppid, reapedChildrenCpuS: (cutime + cstime) / CLOCK_TICKS_PER_S };
}

/** VmRSS in MiB from the text of /proc/<pid>/status. */
export function parseStatusRssMiB(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (match?.[1] === undefined) throw new Error('no VmRSS in /proc status');
  return Number(match[1]) / 1024;
}

export interface ProcSample {
  cpuS: number;
  rssMiB: number;
}

/** undefined once the process is gone. */
export function readProc(pid: number): ProcSample | undefined {
  try {
    return {
      cpuS: parseStatCpuSeconds(readFileSync(`/proc/${String(pid)}/stat`, 'utf8')),
      rssMiB: parseStatusRssMiB(readFileSync(`/proc/${String(pid)}/status`, 'utf8')),
    };
  } catch {
    return undefined;
  }
}

/**
 * The children of `pid` (the server's recorder workers) together: CPU seconds of the live ones
 * plus those already exited, the live ones' summed RSS, and their pids.
 */
export function readChildren(
  pid: number,
  /** Keeps only children whose command line matches (the server's esbuild helper is another). */
  match: (cmdline: string) => boolean = () => true,
): { cpuS: number; rssMiB: number; pids: number[] } {
  let cpuS = 0;
  let rssMiB = 0;
  const pids: number[] = [];
  try {
    // Exited children of any kind: the server's only short-lived children are restarted workers.
    cpuS = parseStatFamily(readFileSync(`/proc/${String(pid)}/stat`, 'utf8')).reapedChildrenCpuS;
  } catch {
    return { cpuS: Number.NaN, rssMiB: 0, pids };
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (parseStatFamily(stat).ppid !== pid) continue;
      if (!match(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) continue;
      const child = readProc(Number(entry));
      if (child === undefined) continue;
      cpuS += child.cpuS;
      rssMiB += child.rssMiB;
      pids.push(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return { cpuS, rssMiB, pids };
}
