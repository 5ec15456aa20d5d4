import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminalText.js';

describe('terminalSafe', () => {
  it.each([
    ['clear screen (CSI)', 'web\u001b[2J', 'web\\x1b[2J'],
    ['set window title (OSC … BEL)', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    ['8-bit CSI (C1)', 'a\u009b31mb', 'a\\x9b31mb'],
    ['a line of its own', 'ok\nerror: fake line', 'ok\\nerror: fake line'],
    ['carriage return overwriting the line', 'safe\rFAIL', 'safe\\rFAIL'],
    ['tab, backspace, NUL and DEL', 'a\tb\bc\u0000d\u007f', 'a\\tb\\x08c\\x00d\\x7f'],
    ['bidirectional override (Trojan Source)', 'user\u202eexe.txt', 'user\\u202eexe.txt'],
    ['bidirectional isolate', 'a\u2066b\u2069', 'a\\u2066b\\u2069'],
  ])('shows %s as a visible escape', (_what, input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
  });

  it('leaves printable text alone, Unicode included', () => {
    const text = 'web-5d8f7c9b4-9xsnq → ready · 12.4s · 100% ✓ Grüße 日本';
    expect(terminalSafe(text)).toBe(text);
  });
});
