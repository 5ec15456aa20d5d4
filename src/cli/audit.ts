import type { Command } from 'commander';
import { ZerodropError, ExitCode } from '../errors.js';

export function registerAuditCommands(program: Command): void {
  program
    .command('audit [paths...]')
    .description('check manifests and Dockerfiles against the Rules of Uptime')
    .action(() => {
      throw new ZerodropError('not-implemented', 'audit is not implemented yet (issue 2)', { exitCode: ExitCode.environment });
    });
}
