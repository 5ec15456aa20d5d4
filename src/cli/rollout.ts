import type { Command } from 'commander';
import { ZerodropError, ExitCode } from '../errors.js';

export function registerRolloutCommand(program: Command): void {
  program
    .command('rollout <target>')
    .description("prove a real cluster's rollout drops zero requests")
    .action(() => {
      throw new ZerodropError('not-implemented', 'rollout is not implemented yet (issue 6)', { exitCode: ExitCode.environment });
    });
}
