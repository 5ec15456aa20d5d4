#!/usr/bin/env node
import { terminalSafe } from '../terminalText.js';
import { Command, CommanderError } from 'commander';
import pc from 'picocolors';
import { ExitCode, ZerodropError, type ErrorCode } from '../errors.js';
import { registerAuditCommands } from './audit.js';
import { registerLabCommand } from './lab.js';
import { registerReportCommand } from './report.js';
import { registerRolloutCommand } from './rollout.js';
import { version } from '../version.js';

const invokedAs = process.argv[1]?.includes('kubectl-zerodrop') ? 'kubectl zerodrop' : 'zerodrop';

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

registerAuditCommands(program);
registerLabCommand(program);
registerReportCommand(program);
registerRolloutCommand(program);

/** The one line every error prints: `zerodrop: error[bad-duration]: --warmup: "x" is not a duration …` (docs/errors.md). */
function errorLine(code: ErrorCode, text: string): string {
  // Messages quote file names, object names and values from the user's input: never raw control characters.
  return `${pc.red(`zerodrop: error[${code}]`)}: ${terminalSafe(text)}\n`;
}

function debugEnabled(): boolean {
  return process.argv.includes('--debug') || process.env.ZERODROP_DEBUG === '1';
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
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

main(process.argv).then((code) => {
  process.exitCode = code;
});
