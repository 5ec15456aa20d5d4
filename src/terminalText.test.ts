import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminalText.js';

describe('terminalSafe', () => {
  it.each([
    { what: 'clear screen (CSI)', input: 'web\u001b[2J', shown: 'web\\x1b[2J' },
    { what: 'set window title (OSC … BEL)', input: '\u001b]0;pwned\u0007', shown: '\\x1b]0;pwned\\x07' },
    { what: '8-bit CSI (C1)', input: 'a\u009b31mb', shown: 'a\\x9b31mb' },
    { what: 'a line of its own', input: 'ok\nerror: fake line', shown: 'ok\\nerror: fake line' },
    { what: 'carriage return overwriting the line', input: 'safe\rFAIL', shown: 'safe\\rFAIL' },
    { what: 'tab, backspace, NUL and DEL', input: 'a\tb\bc\u0000d\u007f', shown: 'a\\tb\\x08c\\x00d\\x7f' },
    { what: 'bidirectional override (Trojan Source)', input: 'user\u202eexe.txt', shown: 'user\\u202eexe.txt' },
    { what: 'bidirectional isolate', input: 'a\u2066b\u2069', shown: 'a\\u2066b\\u2069' },
  ])('shows $what as a visible escape', ({ input, shown }) => {
    expect(terminalSafe(input)).toBe(shown);
  });

  it('leaves printable text alone, Unicode included', () => {
    const text = 'web-5d8f7c9b4-9xsnq → ready · 12.4s · 100% ✓ Grüße 日本';
    expect(terminalSafe(text)).toBe(text);
  });
});
