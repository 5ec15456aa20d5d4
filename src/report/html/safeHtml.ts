// Set by SafeHtml's static block; with the key below, only this module can make one.
let trust: (markup: string) => SafeHtml;
const KEY = Symbol('SafeHtml');

/**
 * The one way anything becomes markup in the report. A SafeHtml value can only be made here: by
 * the `html` tag, which escapes every interpolated value that is not itself SafeHtml, or by the
 * element helpers below for inlined code and data. Renderers return SafeHtml, so a string from
 * an events file cannot be concatenated into the page by accident: it is either passed through
 * `html` (and escaped) or it does not type-check. A SafeHtml has no toString, so pasting one into
 * an ordinary template literal shows as "[object Object]" at once instead of working by chance.
 */
export class SafeHtml {
  readonly #markup: string;

  private constructor(key: symbol, markup: string) {
    if (key !== KEY) throw new TypeError('SafeHtml is made with html`…`, never from a string');
    this.#markup = markup;
  }

  static {
    trust = (markup) => new SafeHtml(KEY, markup);
  }

  /** The finished markup, for writing the page. */
  toHtml(): string {
    return this.#markup;
  }
}

/** What `html` accepts: markup, text and numbers (escaped), lists of them; null, undefined and false render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

/** Text or attribute value → HTML that cannot open a tag or close an attribute (attributes are always double-quoted). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toHtml();
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** Markup from a template: the literal parts are ours, every interpolated value is escaped unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return trust(out);
}

/**
 * JSON safe inside `<script type="application/json">`: `<` is escaped so no data (a pod name, a
 * note, a command line) can write `</script>` or `<!--`, and U+2028/2029 are escaped so the text
 * stays valid if a future page evaluates it as JavaScript.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline third-party code/CSS: a literal `</script` or `</style` inside would end the element early. */
function inlineSafe(source: string, tag: 'script' | 'style'): string {
  return source.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
}

/** A `<script>` element running `source` (our page script, uPlot): the only way code enters the page. */
export function scriptElement(source: string): SafeHtml {
  return trust(`<script>${inlineSafe(source, 'script')}</script>`);
}

/** A `<style>` element with `css`. */
export function styleElement(css: string): SafeHtml {
  return trust(`<style>${inlineSafe(css, 'style')}</style>`);
}

/** A `<script type="application/json">` data block the page script reads by id. */
export function jsonElement(id: string, value: unknown): SafeHtml {
  return trust(`<script type="application/json" id="${escapeHtml(id)}">${jsonForScript(value)}</script>`);
}
