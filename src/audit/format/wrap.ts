/**
 * Word wrapping for the text report, so a report stays readable in a 100-column terminal. Breaks
 * only at spaces: a word longer than the line (a URL, a long path) gets a line of its own rather
 * than being cut, so it can still be copied or clicked.
 */
export const REPORT_WIDTH = 100;

/**
 * `text` as lines of at most `width` columns, the first indented by `first`, the rest by `rest`.
 * Widths count UTF-16 code units, which is a column for every character the report prints.
 */
export function wrap(text: string, width: number, first: string, rest: string = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(' ').filter((w) => w !== '')) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}
