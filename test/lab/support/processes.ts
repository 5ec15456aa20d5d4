import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** PIDs of live (non-zombie) processes whose command line contains the marker. */
export function liveProcessesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) continue;
      if (/\) Z /.test(readFileSync(`/proc/${entry}/stat`, 'utf8'))) continue;
      found.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** A fixture's log of `WORD NUMBER` lines (a signal and its time, a daemon and its pid); none yet when absent. */
export function wordNumberLines(log: string): Array<[string, number]> {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [word, number] = line.split(' ');
      return [word!, Number(number)];
    });
}
