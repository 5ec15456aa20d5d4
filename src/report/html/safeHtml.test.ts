import { describe, expect, it } from 'vitest';
import { html, jsonElement, SafeHtml, scriptElement } from './safeHtml.js';

describe('html: the one typed path into markup', () => {
  const attack = `"><img src=x onerror=alert(1)>`;

  it('escapes every interpolated string and number, in text and in attributes', () => {
    expect(html`<li class="${attack}">${attack} ${3}</li>`.toHtml()).toBe(
      '<li class="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt; 3</li>',
    );
  });

  it('keeps markup built by html, joins lists, and renders nothing for null, undefined and false', () => {
    const items = ['a', '<b>'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}`.toHtml()).toBe('<ul><li>a</li><li>&lt;b&gt;</li></ul>');
  });

  it('cannot be made from a string, and does not turn back into markup in a plain template literal', () => {
    const safe = html`<b>x</b>`;
    expect(safe).toBeInstanceOf(SafeHtml);
    // @ts-expect-error the constructor is private: markup is made by html and the element helpers only
    expect(() => new SafeHtml('<b>')).toThrow();
    expect(`${safe}`).toBe('[object Object]');
  });

  it('inlines code and data so that nothing inside can end the element early', () => {
    expect(scriptElement('x = "</script><script>alert(1)"').toHtml()).toBe('<script>x = "<\\/script><script>alert(1)"</script>');
    expect(jsonElement('d', { a: '</script>' }).toHtml()).toBe('<script type="application/json" id="d">{"a":"\\u003c/script\\u003e"}</script>');
  });
});
