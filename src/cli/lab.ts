import type { Command } from 'commander';
import { ZerodropError, ExitCode } from '../errors.js';

export function registerLabCommand(program: Command): void {
  program
    .command('lab')
    .description('replay a Kubernetes rolling update on this machine with real processes and count dropped requests')
    .action(() => {
      throw new ZerodropError('not-implemented', 'lab is not implemented yet (issue 4)', { exitCode: ExitCode.environment });
    });
}
