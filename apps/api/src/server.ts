import { readEnv } from './env.ts';
import { startServer } from './run.ts';

const env = readEnv();
const server = await startServer(env);
if (!env.AVIARY_ADMIN_TOKEN) {
  console.log(`No AVIARY_ADMIN_TOKEN set; this run's admin token is: ${server.adminToken}`);
}
console.log(`Aviary API on ${server.url} (OpenAPI at ${server.url}/api/docs)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
