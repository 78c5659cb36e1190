import { run } from './program.ts';

// `aviary history | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const exitCode = await run(process.argv.slice(2), {
  io: {
    stdout: process.stdout,
    stderr: process.stderr,
    interactive: Boolean(process.stderr.isTTY),
    format: 'table',
  },
  env: process.env,
  pollMs: Number(process.env.AVIARY_POLL_MS) || 2_000,
});
// fetch keeps idle connections to the API open for seconds; a command is done when it has
// answered. Exit once stdout and stderr have flushed, so a pipe gets every byte.
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(exitCode);
