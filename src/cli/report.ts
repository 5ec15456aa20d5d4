import type { Command } from 'commander';
import { ZerodropError, ExitCode } from '../errors.js';

export function registerReportCommand(program: Command): void {
  program
    .command('report <events>')
    .description('render an NDJSON event stream as a self-contained HTML timeline')
    .action(() => {
      throw new ZerodropError('not-implemented', 'report is not implemented yet (issue 5)', { exitCode: ExitCode.environment });
    });
}
