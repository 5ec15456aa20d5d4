#!/usr/bin/env node
// Installs the system programs the test suite drives for real (nginx for the lab's ingress and
// stop-signal scenarios, HAProxy for the graceful drain tests and the lab's haproxy image mapping, Chromium for the HTML report test,
// util-linux's unshare for PID-1 tests, busybox for the PID-1 fixes under Alpine's sh, tmux for the live terminal view, xmllint for the JUnit
// report, pre-commit for our hooks under the real program). Debian packages only, never a downloaded browser. Where installation is impossible
// (not root, no apt-get), it says so loudly and the tests that need the program skip with the
// same message.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';

const wanted = [
  // Debian starts a system nginx/HAProxy when it installs one; the tests run their own instances.
  {
    bin: '/usr/sbin/nginx',
    pkg: 'nginx-light',
    alt: 'nginx',
    why: 'lab nginx scenarios and proxy benchmark',
    service: { name: 'nginx', pidfile: '/run/nginx.pid' },
  },
  {
    bin: '/usr/sbin/haproxy',
    pkg: 'haproxy',
    why: "graceful drain tests behind HAProxy, lab's haproxy image mapping",
    service: { name: 'haproxy', pidfile: '/run/haproxy.pid' },
  },
  { bin: '/usr/bin/chromium', pkg: 'chromium', why: 'HTML report end-to-end test' },
  { bin: '/usr/bin/unshare', pkg: 'util-linux', why: 'PID-1 tests' },
  { bin: '/usr/bin/busybox', pkg: 'busybox', why: "suggested PID-1 fixes run under busybox sh (Alpine's /bin/sh)" },
  { bin: '/usr/bin/tmux', pkg: 'tmux', why: 'live terminal view test' },
  { bin: '/usr/bin/xmllint', pkg: 'libxml2-utils', why: 'JUnit report well-formedness test' },
  { bin: '/usr/bin/pre-commit', pkg: 'pre-commit', why: 'hooks run by the real pre-commit program' },
];

const missing = wanted.filter((w) => !existsSync(w.bin));
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (process.env.ZERODROP_SKIP_SYSTEM_DEPS === '1' || !isRoot || !hasApt) {
  const reason = process.env.ZERODROP_SKIP_SYSTEM_DEPS === '1' ? 'ZERODROP_SKIP_SYSTEM_DEPS=1' : !isRoot ? 'not running as root' : 'no apt-get';
  const banner = '!'.repeat(78);
  process.stderr.write(`${banner}\n!! cannot install ${missing.map((m) => m.pkg).join(', ')} (${reason}).\n`);
  for (const m of missing) process.stderr.write(`!!   ${m.bin} missing: tests for the ${m.why} will SKIP\n`);
  process.stderr.write(`${banner}\n`);
  process.exit(0);
}

const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const run = (args) => execFileSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
process.stderr.write(`installing ${missing.map((m) => m.pkg).join(', ')} with apt-get (needed by the test suite)\n`);
try {
  run(['update', '-qq']);
  run(['install', '-y', '-qq', '--no-install-recommends', ...missing.map((m) => m.pkg)]);
} catch {
  try {
    // nginx-light is not in every Debian release; fall back to the plain package names.
    run(['install', '-y', '-qq', '--no-install-recommends', ...missing.map((m) => m.alt ?? m.pkg)]);
  } catch (err) {
    process.stderr.write(`!! apt-get failed (${err.message}); tests that need these programs will SKIP\n`);
  }
}
// Stop the system daemon a package we just installed started (nginx on port 80, HAProxy with
// Debian's default configuration), and only that one: through systemd when it runs, else by the pid in
// the package's pidfile, checked to be that program. Never by name: other people's nginx and
// HAProxy processes on this machine are not ours to stop.
const systemd = existsSync('/run/systemd/system');
for (const m of missing.filter((w) => w.service && existsSync(w.bin))) {
  if (systemd) {
    spawnSync('systemctl', ['stop', m.service.name], { stdio: 'ignore' });
    continue;
  }
  try {
    const pid = Number(readFileSync(m.service.pidfile, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 1 && readlinkSync(`/proc/${pid}/exe`) === m.bin) process.kill(pid, 'SIGTERM');
  } catch {
    // No pidfile or no such process: the package did not start a daemon.
  }
}
