import { usageError } from '../../errors.js';

/**
 * Splits a command line the way a shell would split words (quotes and backslashes), without
 * running a shell: the lab execs the program directly, like a Dockerfile's exec form, so the
 * container's main process is the program itself and receives the stop signal (§1.7 item 5).
 * Write `sh -c '…'` to get a shell on purpose (and its signal gotchas, §6.1).
 */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length && /["\\$`]/.test(line[i + 1]!)) cur += line[++i];
      else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw usageError('lab-bad-command', `unterminated ${quote} quote in command: ${line}`);
  if (inWord) words.push(cur);
  return words;
}
