#!/usr/bin/env node
// Installs what Aviary needs on a fresh Debian/Ubuntu machine with Node 20, then gets out of
// the way: pnpm (pinned), the workspace's packages, and the Debian packages a mode needs.
// Usage: node scripts/bootstrap.mjs start|test|image
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'start';
const pnpmVersion = '10.34.8';

/** What building and running the container image needs (pnpm test:image, part of the tests). */
const imageNeeds = [
  ['podman', 'podman', 'the image test builds and runs the Dockerfile with podman'],
  ['runc', 'runc', 'podman runs the image test containers with runc'],
  ['debootstrap', 'debootstrap', 'the debian:trixie-slim base of the image is made from the Debian archive'],
];

/** Debian packages per mode: [package, the command it provides, why]. */
const aptNeeds = {
  start: [['prometheus', 'prometheus', 'the sandbox runs a real Prometheus']],
  test: [
    ['prometheus', 'prometheus', 'integration tests query a real Prometheus'],
    ['kubectl', 'kubectl', 'tests drive the sandbox API server with the real kubectl'],
    ['docker-compose', 'docker-compose', 'a test validates docker-compose.yml offline'],
    ['chromium', 'chromium', 'the dashboard tests run in a real Chromium'],
    ...imageNeeds,
  ],
  image: [
    ['prometheus', 'prometheus', 'the image runs against the sandbox and its real Prometheus'],
    ['chromium', 'chromium', 'the image test signs in to the dashboard in a real Chromium'],
    ...imageNeeds,
  ],
};

const log = (msg) => console.log(`[bootstrap] ${msg}`);
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  return r.status === 0;
};

function ensurePnpm() {
  const current = has('pnpm') ? execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim() : '';
  if (current === pnpmVersion) return;
  log(`installing pnpm ${pnpmVersion} (found ${current || 'none'})`);
  if (!run('npm', ['install', '-g', '--no-fund', '--no-audit', `pnpm@${pnpmVersion}`])) {
    console.error(`Could not install pnpm. Install it yourself: npm install -g pnpm@${pnpmVersion}`);
    process.exit(1);
  }
}

function ensureApt(needs) {
  const missing = needs.filter(([, cmd]) => !has(cmd));
  if (missing.length === 0) return;
  const names = missing.map(([pkg]) => pkg);
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !has('apt-get')) {
    for (const [pkg, , why] of missing) log(`missing ${pkg}: ${why}.`);
    log(`Install with: sudo apt-get install -y --no-install-recommends ${names.join(' ')}`);
    return;
  }
  log(`installing ${names.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const quiet = { env, stdio: ['ignore', 'ignore', 'inherit'] };
  if (!run('apt-get', ['install', '-y', '--no-install-recommends', ...names], quiet)) {
    run('apt-get', ['update', '-qq'], quiet);
    if (!run('apt-get', ['install', '-y', '--no-install-recommends', ...names], quiet)) {
      log(`apt-get could not install ${names.join(' ')}; the parts that need them will say so.`);
    }
  }
}

ensurePnpm();
const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
if (
  !run('pnpm', ['install', '--prefer-offline', ...frozen], {
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  })
) {
  process.exit(1);
}
ensureApt(aptNeeds[mode] ?? []);
