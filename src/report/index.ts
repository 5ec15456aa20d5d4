export { buildReport, buildRunReport } from './buildReport.js';
export { renderHtmlReport, renderModelAsHtml, type HtmlReportOptions } from './html/renderHtmlReport.js';
export { writeHtmlReport, type WriteHtmlReportOptions } from './html/writeHtmlReport.js';
export type * from './model.js';
export { createLiveView, type LiveView, type LiveViewOptions, type LiveOutput } from './live/createLiveView.js';
