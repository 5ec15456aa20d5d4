/**
 * Control characters C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F, which some terminals read
 * as CSI and OSC), plus the bidirectional overrides and isolates that reorder how a line reads
 * (U+202A–U+202E, U+2066–U+2069, the "Trojan Source" characters).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text that came from outside (object and pod names, process output, messages that quote them)
 * made safe to print on a terminal: every control character is shown as a visible escape
 * (`\x1b`, `\n`, `\u202e`), so a value can neither move the cursor, recolour or retitle the
 * terminal, nor start a line of its own, nor reorder what the user reads. Everything zerodrop
 * prints that holds such a value goes through here; its own colours are added afterwards.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
