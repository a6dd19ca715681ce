/** CPU and memory of another process from Linux /proc (parsers pure, reader tolerant). */
import { readFileSync } from 'node:fs';

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
