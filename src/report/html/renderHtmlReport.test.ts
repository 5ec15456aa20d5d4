import { describe, expect, it } from 'vitest';
import type { EventBody, ZerodropEvent } from '../../events/schema.js';
import { escapeHtml, jsonForScript } from './safeHtml.js';
import { renderHtmlReport } from './renderHtmlReport.js';

const e = (t: number, run: string, body: EventBody) => ({ t, run, ...body }) as ZerodropEvent;
const hostile = '</script><script>alert(1)</script><!--';

function embeddedModel(html: string): unknown {
  const match = /<script type="application\/json" id="zerodrop-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no embedded model');
  return JSON.parse(match[1]!);
}

describe('jsonForScript', () => {
  it('cannot close the script element or open a comment, and round-trips through JSON.parse', () => {
    const value = { a: hostile, b: 'line\u2028sep\u2029end', c: '&amp;' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>]/);
    expect(text).not.toContain('\u2028');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that can start markup or end an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('renderHtmlReport', () => {
  const events = [
    e(0, hostile, {
      type: 'run-start',
      schema: 1,
      startedAt: '2026-01-01T00:00:00.000Z',
      command: `zerodrop lab ${hostile}`,
      source: 'lab',
      config: { note: hostile },
      audit: [{ rule: hostile, severity: 'error', message: hostile }],
    }),
    e(10, hostile, { type: 'pod', pod: hostile, phase: 'created' }),
    e(20, hostile, { type: 'request', intended: 20, start: 20, end: 21, error: 'refused', pod: hostile }),
    e(30, hostile, { type: 'note', level: 'warn', message: hostile }),
    e(40, hostile, {
      type: 'run-end',
      verdict: 'fail',
      reasons: [hostile],
      requests: 1,
      failures: 1,
      failuresByClass: { refused: 1 },
      rollout: { completed: false, durationMs: 40 },
    }),
  ];
  const html = renderHtmlReport(events, { title: hostile });

  it('never lets data close a script element: the only </script> tags are the three the page writes', () => {
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
    expect(html).not.toContain('<script>alert(1)');
  });

  it('embeds the model as parseable JSON with the hostile strings intact', () => {
    const model = embeddedModel(html) as { runs: Array<{ run: string; command: string }> };
    expect(model.runs[0]!.run).toBe(hostile);
    expect(model.runs[0]!.command).toBe(`zerodrop lab ${hostile}`);
  });

  it('is self-contained: uPlot inline, no external scripts, stylesheets or URLs to fetch', () => {
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
  });

  it('puts verdict, reasons, audit findings and the reproduce command in static HTML', () => {
    expect(html).toContain('<span class="badge fail">FAIL</span>');
    expect(html).toContain(`<li>${escapeHtml(hostile)}</li>`);
    expect(html).toContain(`<code>zerodrop lab ${escapeHtml(hostile)}</code>`);
    expect(html).toContain('did not complete');
  });

  it('renders an empty stream as a page that says so rather than failing', () => {
    expect(renderHtmlReport([])).toContain('no runs in this event stream');
  });
});

describe('renderHtmlReport configuration table', () => {
  it('shows undefined config values (from spread optional settings) as none instead of crashing', () => {
    const html = renderHtmlReport([
      e(0, 'r', {
        type: 'run-start',
        schema: 1,
        startedAt: '2026-01-01T00:00:00.000Z',
        command: 'zerodrop rollout deployment/x',
        source: 'cluster',
        config: { image: undefined, rate: 200 },
      }),
    ]);
    expect(html).toMatch(/<th>image<\/th><td><span class="muted">none<\/span>/);
    expect(html).toMatch(/<th>rate<\/th><td><code>200<\/code>/);
  });
});
