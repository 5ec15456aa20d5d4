/**
 * The exit code of a command that judged one or more runs (lab, rollout): a run that dropped
 * requests outranks one that proved nothing, and an interrupt outranks both, because the runs
 * it cut short were never judged in full.
 */
import { ExitCode, type ExitCodeValue } from '../errors.js';
import type { VerdictKind } from '../load/verdict.js';

export function verdictExitCode(verdicts: readonly VerdictKind[], interrupted = false): ExitCodeValue {
  if (interrupted) return ExitCode.interrupted;
  if (verdicts.includes('fail')) return ExitCode.findings;
  if (verdicts.includes('inconclusive')) return ExitCode.inconclusive;
  return ExitCode.ok;
}
