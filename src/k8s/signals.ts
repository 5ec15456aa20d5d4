/**
 * Signal names as users write them (STOPSIGNAL 3, SIGQUIT, QUIT) normalised to `SIGQUIT`.
 */
const SIGNAL_NUMBERS: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  12: 'SIGUSR2',
  15: 'SIGTERM',
  28: 'SIGWINCH',
};

export function normaliseSignal(raw: string | number): string | undefined {
  if (typeof raw === 'number' || /^\d+$/.test(String(raw).trim())) return SIGNAL_NUMBERS[Number(raw)];
  const upper = String(raw).trim().toUpperCase();
  if (upper === '') return undefined;
  return upper.startsWith('SIG') ? upper : `SIG${upper}`;
}

/** Exit code of a process killed by a signal: 128 + number (docs/reference/signals.md#pid-1: 143 = SIGTERM, 137 = SIGKILL). */
export function exitCodeForSignal(signal: string): number | undefined {
  const entry = Object.entries(SIGNAL_NUMBERS).find(([, name]) => name === signal);
  return entry ? 128 + Number(entry[0]) : undefined;
}
