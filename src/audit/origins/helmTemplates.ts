/**
 * `helm template` output names the template each document was rendered from: every document is
 * printed as `---`, then `# Source: CHART/templates/FILE.yaml`, then the rendered text. Helm
 * templates are Go templates, so a line of the rendered text has no fixed line in the template
 * source; what can be said exactly is the template file and the line within the document helm
 * rendered from it (line 1 is the line after the `# Source:` comment).
 */
import { posix } from 'node:path';

export interface HelmMarker {
  /** 1-based line of the `# Source:` comment in the stream. */
  line: number;
  /** The template path as helm prints it: the chart's name, then the path inside the chart. */
  template: string;
}

export interface HelmPosition {
  template: string;
  /** Line within the rendered document (1 = the line after `# Source:`). */
  line: number;
}

export interface HelmStream {
  markers: HelmMarker[];
  /** 1-based lines of `---` document separators. */
  separators: number[];
}

const SOURCE = /^# Source: (\S.*?)\s*$/;
const SEPARATOR = /^---(\s|$)/;

/** The `# Source:` markers of a stream, or undefined when it has none (not helm output). */
export function helmStream(text: string): HelmStream | undefined {
  if (!text.includes('# Source: ')) return undefined;
  const markers: HelmMarker[] = [];
  const separators: number[] = [];
  let documentStart = true;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (SEPARATOR.test(line)) {
      separators.push(i + 1);
      documentStart = true;
      continue;
    }
    const m = documentStart ? SOURCE.exec(line) : null;
    if (m) markers.push({ line: i + 1, template: m[1]! });
    if (line.trim() !== '') documentStart = false;
  }
  return markers.length > 0 ? { markers, separators } : undefined;
}

/** Which template a stream line belongs to, or undefined when its document carries no marker. */
export function helmPositionOf(stream: HelmStream, line: number): HelmPosition | undefined {
  let marker: HelmMarker | undefined;
  for (const m of stream.markers) {
    if (m.line >= line) break;
    marker = m;
  }
  if (!marker) return undefined;
  const m = marker;
  if (stream.separators.some((s) => s > m.line && s <= line)) return undefined;
  return { template: m.template, line: line - m.line };
}

/**
 * The template's path in the repository: `--chart-root DIR` replaces the chart's name (the first
 * segment helm prints) with the chart's directory, so `mychart/templates/x.yaml` under
 * `--chart-root deploy/chart` is `deploy/chart/templates/x.yaml`.
 */
export function templatePath(template: string, chartRoot: string | undefined): string {
  if (chartRoot === undefined) return template;
  const inChart = template.split('/').slice(1).join('/');
  return posix.join(chartRoot.split('\\').join('/'), inChart);
}
