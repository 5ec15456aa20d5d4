import { formatMs, formatSeconds } from '../format.js';
import { reportPage } from './browser/reportPage.js';

/**
 * The page's script: the compiled source of `reportPage` (type-checked with the DOM types, see
 * browser/reportPage.ts), called with the inlined uPlot and the report's own number formatting.
 * Function sources are self-contained by construction (they use only their parameters and the
 * browser's globals), so the page stays one file without a bundler. Build tools that rewrite
 * function bodies (coverage instrumentation, minifiers) must not process these modules.
 */
export function pageScript(): string {
  return `(${reportPage.toString()})(uPlot, { formatMs: ${formatMs.toString()}, formatSeconds: ${formatSeconds.toString()} });\n`;
}
