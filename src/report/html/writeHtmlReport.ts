import { writeFileSync } from 'node:fs';
import { ZerodropError } from '../../errors.js';
import type { ZerodropEvent } from '../../events/schema.js';
import { buildReport } from '../buildReport.js';
import type { ReportModel } from '../model.js';
import { renderModelAsHtml, type HtmlReportOptions } from './renderHtmlReport.js';

export interface WriteHtmlReportOptions extends HtmlReportOptions {
  /** Replace an existing file; without it an existing file is a usage error (`output-exists`). */
  force?: boolean;
}

/**
 * Renders and writes the report; shared by `zerodrop report` and `--report FILE` on lab and
 * rollout so they refuse to clobber a file the same way. Returns the model for a summary line.
 */
export function writeHtmlReport(path: string, events: readonly ZerodropEvent[], options: WriteHtmlReportOptions = {}): ReportModel {
  const model = buildReport(events);
  const html = renderModelAsHtml(model, options);
  try {
    // 'wx' makes the refusal atomic: no window between checking and writing.
    writeFileSync(path, html, { flag: options.force ? 'w' : 'wx' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new ZerodropError('output-exists', `${path} already exists; pass --force to overwrite it or -o to choose another file`);
    }
    throw new ZerodropError('output-unwritable', `cannot write ${path}: ${code ?? (err as Error).message}`, { cause: err });
  }
  return model;
}
