/**
 * Every PID 1 fix the audit suggests, run for real: the Dockerfile and pod-spec fixes of the
 * signal rules, taken from the findings, are started as PID 1 of a new PID namespace under dash,
 * bash and BusyBox sh, with a stub server that reports the SIGTERM it receives. The unfixed
 * command runs too, to show the check can fail: under dash its stub never hears of the signal.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditTextsStrict } from '../../src/audit/testing.js';
import { ContainerProcess, pidNamespaceSupport } from '../../src/lab/pods/containerProcess.js';

const support = pidNamespaceSupport();
if (!support.available) console.warn(`\n*** fixes-run: SKIPPED, ${support.reason} ***\n`);

const root = mkdtempSync(join(tmpdir(), 'zerodrop-fixes-'));
const bin = join(root, 'bin');
const app = join(root, 'app');
mkdirSync(bin);
mkdirSync(app);
// The stub server: says it is up, and on SIGTERM says so and exits 0.
writeFileSync(
  join(bin, 'server'),
  `#!${process.execPath}\nprocess.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(0); });\nconsole.log('ready', process.argv.slice(2).join(' '));\nsetInterval(() => {}, 1000);\n`,
);
chmodSync(join(bin, 'server'), 0o755);
writeFileSync(join(app, 'config'), 'GREETING=hello\n');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ALL_SHELLS: Record<string, string[]> = { dash: ['/usr/bin/dash'], bash: ['/usr/bin/bash'], 'busybox sh': ['/usr/bin/busybox', 'sh'] };
// Installed by scripts/ensure-system-deps.mjs (Debian packages dash, bash, busybox); a shell that could not be installed is skipped, loudly.
const SHELLS = Object.fromEntries(Object.entries(ALL_SHELLS).filter(([, argv]) => existsSync(argv[0]!)));
for (const [name, argv] of Object.entries(ALL_SHELLS))
  if (!existsSync(argv[0]!)) process.stderr.write(`\n!! ${argv[0]} missing: the suggested-fix runs under ${name} SKIP\n\n`);
const env = { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, PORT: '8080', HOME: root };

type Outcome = 'stub got SIGTERM' | 'exited on SIGTERM' | 'SIGTERM ignored';

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

/** Starts argv as PID 1 of a PID namespace, sends SIGTERM once it is up, and says what happened. */
async function stopAsPid1(argv: string[], cwd: string, readyWhen: (out: string[]) => boolean): Promise<Outcome> {
  const p = ContainerProcess.start({ argv, env, cwd, pidNamespace: true });
  try {
    const up = await until(() => readyWhen(p.lastOutput()) || !p.running, 10_000);
    expect(up && p.running, `${JSON.stringify(argv)} did not start: ${p.lastOutput().join(' | ')}`).toBe(true);
    // The namespace init is looked up from /proc right after start; give it that moment.
    await new Promise((r) => setTimeout(r, 100));
    p.signal('SIGTERM');
    // The stub exits within milliseconds of its SIGTERM; a PID 1 that ignores it is still there.
    const exited = await until(() => !p.running, 1500);
    if (!exited) return 'SIGTERM ignored';
    return p.lastOutput().includes('got SIGTERM') ? 'stub got SIGTERM' : 'exited on SIGTERM';
  } finally {
    p.kill();
    await p.exited;
  }
}
const serverUp = (out: string[]) => out.some((l) => l.startsWith('ready'));

/** The argv a Dockerfile fix text says to run, and its working directory. */
function dockerfileFixArgv(fix: string): { argv: string[]; cwd: string } {
  const text = fix.replace(/^.*?: /, '');
  const workdir = /^WORKDIR (\S+)\n/.exec(text)?.[1];
  const list = JSON.parse(text.slice(text.indexOf('['))) as string[];
  return { argv: list, cwd: workdir ?? root };
}

const DOCKERFILES: ReadonlyArray<[string, string]> = [
  ['cd DIR && server: WORKDIR and exec form', `CMD cd ${app} && server --port 80`],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, expanded by the shell
  ['a variable and a redirection: the shell kept, exec before the server', 'CMD server --port ${PORT:-80} 2>&1'],
  ['an assignment before the server', 'ENTRYPOINT MODE=production server --port $PORT'],
  ['quotes and a list', `ENTRYPOINT true < /dev/null > /dev/null && server --greeting "a b;c"`],
  ['exec form that runs sh -c', 'ENTRYPOINT ["sh", "-c", "true < /dev/null > /dev/null && server -c envoy.yaml;"]'],
];

/** What Docker runs for the instruction as written: shell form under dash, exec form as it is. */
function unfixedArgv(instruction: string): string[] {
  const rest = instruction.replace(/^\w+ /, '');
  return rest.startsWith('[') ? (JSON.parse(rest) as string[]) : ['/usr/bin/dash', '-c', rest];
}

/** The command list a pod-shell-command patch sets. */
function patchedCommand(patch: unknown): string[] | undefined {
  return (patch as { spec?: { containers?: Array<{ command?: string[] }> } } | undefined)?.spec?.containers?.[0]?.command;
}

const PODS: ReadonlyArray<[string, string]> = [
  ['source a config, then the server', `. ${app}/config && server --greeting $GREETING`],
  ['a list ending in a redirected server', `echo starting; server --port $PORT 2>> ${root}/log`],
  ['a trailing semicolon', `cd ${app} && server -c app.yaml;`],
];

describe.skipIf(!support.available)('suggested PID 1 fixes deliver SIGTERM to the server', () => {
  describe.each(DOCKERFILES)('Dockerfile: %s', (_name, instruction) => {
    const text = `FROM debian:12\n${instruction}\n`;
    const findings = auditTextsStrict([{ file: 'Dockerfile', text }], { rules: ['dockerfile-shell-form', 'dockerfile-shell-wrapper'] }).findings;
    it('is reported with a fix', () => {
      expect(findings).toHaveLength(1);
    });
    it('unfixed under dash: the stub never gets SIGTERM', async () => {
      const argv = unfixedArgv(instruction);
      expect(await stopAsPid1(argv[0] === 'sh' ? ['/usr/bin/dash', ...argv.slice(1)] : argv, root, serverUp)).toBe('SIGTERM ignored');
    });
    it.each(Object.keys(SHELLS))('fixed, under %s', async (shell) => {
      const { argv, cwd } = dockerfileFixArgv(findings[0]!.fix!);
      const run = argv[0] === '/bin/sh' || argv[0] === 'sh' ? [...SHELLS[shell]!, ...argv.slice(1)] : argv;
      expect(await stopAsPid1(run, cwd, serverUp)).toBe('stub got SIGTERM');
    });
  });

  describe.each(PODS)('pod command: %s', (_name, script) => {
    const yaml = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: debian:12\n    command: ["sh", "-c", ${JSON.stringify(script)}]\n`;
    const details = auditTextsStrict([{ file: 'pod.yaml', text: yaml }], { rules: ['pod-shell-command'] }).details;
    const patched = patchedCommand(details[0]?.patch);
    it('is reported with a patch', () => {
      expect(details.map((d) => d.finding.rule)).toEqual(['pod-shell-command']);
      expect(patched?.slice(0, 2)).toEqual(['sh', '-c']);
    });
    it('unfixed under dash: the stub never gets SIGTERM', async () => {
      expect(await stopAsPid1(['/usr/bin/dash', '-c', script], root, serverUp)).toBe('SIGTERM ignored');
    });
    it.each(Object.keys(SHELLS))('patched, under %s', async (shell) => {
      expect(await stopAsPid1([...SHELLS[shell]!, '-c', patched![2]!], root, serverUp)).toBe('stub got SIGTERM');
    });
  });

  describe('pod command: a keep-alive loop', () => {
    const script = `while true; do echo tick; sleep 0.2; done`;
    const yaml = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: debian:12\n    command: ["sh", "-c", ${JSON.stringify(script)}]\n`;
    const details = auditTextsStrict([{ file: 'pod.yaml', text: yaml }], { rules: ['pod-shell-command'] }).details;
    const patched = patchedCommand(details[0]?.patch) ?? [];
    const ticking = (out: string[]) => out.includes('tick');
    it('unfixed under dash: SIGTERM is ignored', async () => {
      expect(await stopAsPid1(['/usr/bin/dash', '-c', script], root, ticking)).toBe('SIGTERM ignored');
    });
    it.each(Object.keys(SHELLS))('patched with the TERM trap, under %s: the shell exits', async (shell) => {
      expect(await stopAsPid1([...SHELLS[shell]!, '-c', patched[2]!], root, ticking)).toBe('exited on SIGTERM');
    });
  });
});
