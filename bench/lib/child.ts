import { type ChildProcess, spawn } from 'node:child_process';

// Benches run their servers in a child process (the same .bench.ts file, started with tsx) so
// the client's CPU does not come out of the servers'. The child says "ready" over IPC, answers
// "cpu" with the CPU time it has used, and exits when the parent disconnects.

/** Start `file` as the server child; `ready` resolves with its first IPC message. */
export function startChild<T>(
  file: string,
  cwd: string,
  what: string,
): { child: ChildProcess; ready: Promise<T> } {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 60 s`)), 60_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as T);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited before it was ready (code ${code})`));
    });
  });
  return { child, ready };
}

/** Disconnect, and kill the child if it has not exited 15 s later (a leaked handle). */
export async function stopChild(child: ChildProcess, what: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => {
    console.error(`  ${what} did not exit 15 s after stopping: a leaked handle; killing it`);
    child.kill('SIGKILL');
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

/** CPU time (µs) the child has used so far. */
export function childCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve((m as { cpuUs: number }).cpuUs));
    child.send('cpu');
  });
}
