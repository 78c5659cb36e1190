import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Podman as it works on a host without a container registry or bridge networking: runc with
 * cgroupfs, host networking, and no default ulimits (the host may not allow raising them).
 */
const conf = join(mkdtempSync(join(tmpdir(), 'aviary-podman-')), 'containers.conf');
writeFileSync(conf, '[containers]\ndefault_ulimits = []\n');
const env = { ...process.env, CONTAINERS_CONF: conf };
const global = ['--runtime', 'runc', '--cgroup-manager=cgroupfs'];

export function podman(args: string[], opts: { input?: Buffer; allowFailure?: boolean } = {}): string {
  const r = spawnSync('podman', [...global, ...args], {
    env,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 && !opts.allowFailure)
    throw new Error(`podman ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout.trim();
}

/**
 * The Dockerfile's base, made from Debian's archive when it is not there yet: no registry is
 * needed (debootstrap, then podman import).
 */
export function ensureBase(image = 'debian:trixie-slim'): void {
  if (spawnSync('podman', [...global, 'image', 'exists', image], { env }).status === 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'aviary-rootfs-'));
  try {
    execFileSync(
      'debootstrap',
      [
        '--variant=minbase',
        'trixie',
        dir,
        process.env.AVIARY_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const tar = execFileSync('tar', ['-C', dir, '-c', '.'], { maxBuffer: 1024 * 1024 * 1024 });
    podman(['import', '-', image], { input: tar });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Build the repository's Dockerfile; the host's extra CA (a TLS-intercepting proxy) goes in as a build argument. */
export function buildImage(root: string, tag: string, logFile: string): void {
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  const caArgs = ca
    ? ['--volume', `${ca}:/run/extra-ca.pem:ro`, '--build-arg', 'NODE_EXTRA_CA_CERTS=/run/extra-ca.pem']
    : [];
  const r = spawnSync(
    'podman',
    [...global, 'build', '--format', 'docker', '--network=host', ...caArgs, '-t', tag, root],
    { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const log = `${r.stdout}\n${r.stderr}`;
  writeFileSync(logFile, log);
  if (r.status !== 0) throw new Error(`podman build failed (${r.status}):\n${log.slice(-4000)}`);
}
