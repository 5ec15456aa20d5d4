import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ZerodropError } from '../../errors.js';

export interface UplotAssets {
  script: string;
  css: string;
}

let cached: UplotAssets | undefined;

/**
 * uPlot's browser build and stylesheet, read from the installed package at render time so the
 * report is self-contained without vendoring a copy into this repository.
 */
export function loadUplotAssets(): UplotAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  try {
    // The entry point is dist/uPlot.cjs.js; the browser build and the stylesheet sit beside it.
    const dist = require.resolve('uplot').replace(/[^/\\]+$/, '');
    cached = {
      script: readFileSync(`${dist}uPlot.iife.min.js`, 'utf8'),
      css: readFileSync(`${dist}uPlot.min.css`, 'utf8'),
    };
    return cached;
  } catch (err) {
    throw new ZerodropError('uplot-missing', `cannot read uPlot from node_modules (${(err as Error).message}); reinstall zerodrop`, { cause: err });
  }
}
