#!/usr/bin/env node
// Runs every check of the workspace — lint, typecheck, each package's tests — and ends with one
// line "N passed, N failed" summing them all. Exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' };
let passed = 0;
let failed = 0;
const failures = [];

function step(name, cmd, args) {
  console.log(`\n=== ${name}: ${[cmd, ...args].join(' ')}`);
  const ok = spawnSync(cmd, args, { cwd: root, env, stdio: 'inherit' }).status === 0;
  return ok;
}

function check(name, cmd, args) {
  if (step(name, cmd, args)) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

const workspaces = [
  root,
  ...['apps', 'packages'].flatMap((top) =>
    readdirSync(join(root, top), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, top, d.name, 'package.json')))
      .map((d) => join(root, top, d.name)),
  ),
  // Browser tests live in a package of their own at the top.
  ...(existsSync(join(root, 'e2e', 'package.json')) ? [join(root, 'e2e')] : []),
];
const reportOf = (dir) => join(dir, '.test-results', 'vitest.json');
const playwrightReportOf = (dir) => join(dir, '.test-results', 'playwright.json');
for (const dir of workspaces) {
  rmSync(reportOf(dir), { force: true });
  rmSync(playwrightReportOf(dir), { force: true });
}

check('lint', 'pnpm', ['exec', 'biome', 'ci', '.']);
check('typecheck', 'pnpm', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']);
const workspaceOk = step('workspace tests', 'pnpm', ['exec', 'vitest', 'run']);
const packagesOk = step('package tests', 'pnpm', [
  'exec',
  'turbo',
  'run',
  'test',
  '--continue',
  '--concurrency=2',
]);
// The container image, built with podman and run against the sandbox (pnpm test:image).
const imageReport = join(root, 'e2e', '.test-results', 'image.json');
rmSync(imageReport, { force: true });
const imageOk = step('image test', 'pnpm', ['--filter', '@aviary/e2e', 'test:image']);
if (existsSync(imageReport)) {
  const { stats } = JSON.parse(readFileSync(imageReport, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  if (stats.unexpected > 0 || !imageOk || stats.expected + stats.flaky === 0) {
    if (stats.unexpected === 0) failed++;
    failures.push('image test');
  }
} else {
  failed++;
  failures.push('image test (no report)');
}
const testsOk = workspaceOk && packagesOk;

const reported = [];
for (const dir of workspaces) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const name = dir === root ? 'workspace' : pkg.name;
  if (existsSync(playwrightReportOf(dir))) {
    const { stats } = JSON.parse(readFileSync(playwrightReportOf(dir), 'utf8'));
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
    if (
      stats.unexpected > 0 ||
      (pkg.scripts?.test && stats.expected + stats.flaky === 0 && stats.unexpected === 0)
    ) {
      if (stats.unexpected === 0) failed++;
      reported.push(`${name} (browser)`);
    }
    continue;
  }
  if (!existsSync(reportOf(dir))) {
    // A suite that should have run but wrote no report crashed before it could.
    if (pkg.scripts?.test) {
      failed++;
      reported.push(`${name} (no report)`);
    }
    continue;
  }
  const report = JSON.parse(readFileSync(reportOf(dir), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A file that fails to load, or whose beforeAll throws, has no failed test (its tests are
  // skipped), but the suite failed all the same.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  );
  failed += brokenFiles.length;
  if (report.numFailedTests > 0 || brokenFiles.length > 0) reported.push(name);
}
failures.push(...reported);
if (!testsOk && reported.length === 0) {
  failed++;
  failures.push('tests (failed without a failing test)');
}

console.log(failures.length ? `\nFailed: ${failures.join(', ')}` : '\nAll checks passed.');
const summary = `${passed} passed, ${failed} failed`;
console.log(summary);
mkdirSync(join(root, '.test-results'), { recursive: true });
writeFileSync(join(root, '.test-results', 'summary.txt'), `${summary}\n`);
process.exit(failed === 0 ? 0 : 1);
