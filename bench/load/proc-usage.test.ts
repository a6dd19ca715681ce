import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  parseStatCpuSeconds,
  parseStatFamily,
  parseStatusRssMiB,
  readChildren,
  readProc,
} from './proc-usage';

describe('/proc parsers', () => {
  it('reads utime + stime even when the command name has spaces and parentheses', () => {
    const stat =
      '1234 (livekit (x) srv) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 12 0 100 0';
    expect(parseStatCpuSeconds(stat)).toBe(3);
  });

  it('reads the parent pid and the CPU of exited children (cutime + cstime)', () => {
    const stat =
      '1234 (node (w)) S 77 1234 1234 0 -1 4194304 100 0 0 0 250 50 120 30 20 0 12 0 100 0';
    expect(parseStatFamily(stat)).toEqual({ ppid: 77, reapedChildrenCpuS: 1.5 });
  });

  it('finds the live children of a process', async () => {
    const child = spawn('sleep', ['30']);
    try {
      expect(readChildren(process.pid).pids).toContain(child.pid);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a line it cannot read', () => {
    expect(() => parseStatCpuSeconds('garbage')).toThrow(/unreadable/);
  });

  it('reads VmRSS in MiB', () => {
    expect(parseStatusRssMiB('Name:\tnode\nVmRSS:\t  204800 kB\nThreads: 7\n')).toBe(200);
    expect(() => parseStatusRssMiB('Name: node\n')).toThrow(/VmRSS/);
  });

  it('reads this process, and nothing for a pid that does not exist', () => {
    const self = readProc(process.pid);
    expect(self?.rssMiB).toBeGreaterThan(1);
    expect(self?.cpuS).toBeGreaterThanOrEqual(0);
    expect(readProc(2 ** 22 + 17)).toBeUndefined();
  });
});
