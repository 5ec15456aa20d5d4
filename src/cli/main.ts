#!/usr/bin/env node
import type { Command } from 'commander';
import type { Colors } from 'picocolors/types.js';
import { ExitCode, ZerodropError, type ErrorCode } from '../errors.js';
import { terminalSafe } from '../terminalText.js';
import { version } from '../version.js';

const invokedAs = process.argv[1]?.includes('kubectl-zerodrop') ? 'kubectl zerodrop' : 'zerodrop';

/**
 * The module that registers each subcommand. Only the one being run is loaded: the lab pulls in
 * undici and the report renderer, the cluster commands @kubernetes/client-node, and a
 * pre-commit hook running `zerodrop audit` on every commit should pay for none of them
 * (bench/startup.bench.ts). Help and unknown commands load them all, in this order.
 */
const COMMAND_MODULES: Record<string, () => Promise<(program: Command) => void>> = {
  audit: async () => (await import('./audit.js')).registerAuditCommands,
  rules: async () => (await import('./audit.js')).registerAuditCommands,
  explain: async () => (await import('./audit.js')).registerAuditCommands,
  lab: async () => (await import('./lab.js')).registerLabCommand,
  report: async () => (await import('./report.js')).registerReportCommand,
  rollout: async () => (await import('./rollout.js')).registerRolloutCommand,
};
const ALL_MODULES = ['audit', 'lab', 'report', 'rollout'];

/** The subcommand argv names (`help CMD` names CMD), past the global options, or undefined. */
function subcommandOf(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/** Loaded with the command-line parser: `--version` needs neither. */
let pc: Colors | undefined;

/** The one line every error prints: `zerodrop: error[bad-duration]: --warmup: "x" is not a duration …` (docs/errors.md). */
function errorLine(code: ErrorCode, text: string): string {
  const red = pc?.red ?? ((s: string) => s);
  // Messages quote file names, object names and values from the user's input: never raw control characters.
  return `${red(`zerodrop: error[${code}]`)}: ${terminalSafe(text)}\n`;
}

function debugEnabled(): boolean {
  return process.argv.includes('--debug') || process.env.ZERODROP_DEBUG === '1';
}

async function buildProgram(args: readonly string[]): Promise<Command> {
  const [{ Command }, colors] = await Promise.all([import('commander'), import('picocolors')]);
  pc = colors.default;
  const program = new Command(invokedAs)
    .description('Make Kubernetes rolling updates drop zero requests, and prove it.')
    .version(version)
    .option('--debug', 'print stack traces for unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    // Commander's own parse errors ("error: unknown option") get the same line as ours.
    .configureOutput({ outputError: (text, write) => write(errorLine('cli-usage', text.replace(/^error: /, '').trimEnd())) })
    .addHelpText(
      'after',
      `
Start here:
  ${invokedAs} lab                     replay the talk's rolling update on this machine and count dropped requests
  ${invokedAs} audit k8s/              check manifests and Dockerfiles against the Rules of Uptime
  ${invokedAs} rules                   list the audit rules; '${invokedAs} explain RULE' for one

Exit codes: 0 ok, 1 findings or dropped requests, 2 usage or input error, 3 inconclusive run,
4 missing environment (binary, permission, cluster), 70 a bug in zerodrop, 130 interrupted
(SIGINT or SIGTERM).

Errors are one line on stderr: "zerodrop: error[CODE]: FILE:LINE: message". CODE is stable and
fixes the exit code; docs/errors.md lists every code.`,
    );
  const wanted = subcommandOf(args);
  const names = wanted !== undefined && wanted in COMMAND_MODULES ? [wanted] : ALL_MODULES;
  for (const register of await Promise.all(names.map((n) => COMMAND_MODULES[n]!()))) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  // The one answer that needs no command-line parser at all.
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }
  try {
    const program = await buildProgram(args);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    const { CommanderError } = await import('commander');
    if (err instanceof CommanderError) {
      // --help and --version end here with exitCode 0; commander already printed the message.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (err instanceof ZerodropError) {
      process.stderr.write(errorLine(err.code, err.oneLine()));
      if (debugEnabled() && err.stack) process.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(errorLine('internal-error', message));
    if (debugEnabled() && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write('(this is a bug in zerodrop; rerun with --debug for a stack trace)\n');
    return ExitCode.internal;
  }
}

/**
 * A reader that goes away early (`zerodrop rules | head -3`, `zerodrop audit | grep -q error`)
 * ends our output, not the program with an EPIPE stack trace: the process exits at once and
 * quietly, with the status it has so far (like a program killed by SIGPIPE, which Node ignores).
 * Exiting runs the lab's exit hook, so no pod outlives it.
 */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok);
  });
}
exitQuietlyOnClosedPipe(process.stdout);
exitQuietlyOnClosedPipe(process.stderr);

main(process.argv).then((code) => {
  process.exitCode = code;
});
