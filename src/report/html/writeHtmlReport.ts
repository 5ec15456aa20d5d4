import { writeOutputFile } from '../../output/outputFiles.js';
import type { ZerodropEvent } from '../../events/schema.js';
import { buildReport } from '../buildReport.js';
import type { ReportModel } from '../model.js';
import { renderModelAsHtml, type HtmlReportOptions } from './renderHtmlReport.js';

export interface WriteHtmlReportOptions extends HtmlReportOptions {
  /** Replace an existing file; without it an existing file is a usage error (`output-exists`). */
  force?: boolean;
  /** Files the caller read (the events file): never written over, even with `force`. */
  inputs?: readonly string[];
}

/**
 * Renders and writes the report under the output policy every zerodrop output follows
 * (src/output/outputFiles.ts: no clobbering without force, never an input, written atomically).
 * Returns the model for a summary line.
 */
export function writeHtmlReport(path: string, events: readonly ZerodropEvent[], options: WriteHtmlReportOptions = {}): ReportModel {
  const model = buildReport(events);
  const html = renderModelAsHtml(model, options);
  writeOutputFile({ path }, html, { force: options.force === true, inputs: { paths: options.inputs ?? [] } });
  return model;
}
