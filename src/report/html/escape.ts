/** Text or attribute value → HTML that cannot open a tag or close an attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
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
export function inlineSafe(source: string, tag: 'script' | 'style'): string {
  return source.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
}
