// A separate process racing others on one SQLite file (see client.test.ts). Usage:
//   contender.ts <file> <startAtMs> <rolloutId> <label>
// Prints one JSON line with what this process managed to do.
import { isDomainError } from '@aviary/core';
import { createDb } from '../src/client.ts';
import { SqliteHistoryStore } from '../src/rollouts.repo.ts';
import { aRollout, anEvent } from './fixtures.ts';

const [file, startAt, rolloutId, label] = process.argv.slice(2);
if (!file || !startAt || !rolloutId || !label)
  throw new Error('usage: contender.ts <file> <startAtMs> <rolloutId> <label>');

// Spin rather than sleep so every process leaves the line within the same millisecond.
while (Date.now() < Number(startAt)) {}

const handle = createDb(file);
const store = new SqliteHistoryStore(handle);
const won = store.update(rolloutId, 1, { weight: 5 }, [
  anEvent({ action: 'set-weight', actor: label, toWeight: 5 }),
]);
let created: string;
try {
  store.create(
    aRollout({ id: `new-${label}`, target: { namespace: 'race', service: 'api', router: 'istio' } }),
    [],
  );
  created = 'created';
} catch (err) {
  created = isDomainError(err) ? err.code : String(err);
}
handle.close();
process.stdout.write(`${JSON.stringify({ label, updated: won !== null, created })}\n`);
