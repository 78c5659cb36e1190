import type { ChildProcess } from 'node:child_process';
import { childCpu } from './child.ts';

/** One window of closed-loop load against a server running in `child`. */
export interface LoadWindow {
  rps: number;
  /** The server process's CPU time per request, µs: steadier than req/s on a busy machine. */
  serverCpuUs: number;
  /** Share of one core each process used during the window. */
  serverLoad: number;
  clientLoad: number;
}

const ownCpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * `connections` clients in a closed loop for `ms`: client `c` awaits `send(c)` again and again.
 * Measures the request rate and the CPU both sides used in the window.
 */
export async function closedLoop(
  child: ChildProcess,
  connections: number,
  ms: number,
  send: (client: number) => Promise<unknown>,
): Promise<LoadWindow> {
  let done = 0;
  const cpu0 = await childCpu(child);
  const own0 = ownCpu();
  const t0 = performance.now();
  const deadline = t0 + ms;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      while (performance.now() < deadline) {
        await send(c);
        done++;
      }
    }),
  );
  const elapsedUs = (performance.now() - t0) * 1000;
  const own = ownCpu() - own0;
  const cpu = (await childCpu(child)) - cpu0;
  return {
    rps: done / (elapsedUs / 1e6),
    serverCpuUs: cpu / done,
    serverLoad: cpu / elapsedUs,
    clientLoad: own / elapsedUs,
  };
}
