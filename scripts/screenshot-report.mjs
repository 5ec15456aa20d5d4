#!/usr/bin/env node
// Screenshots an HTML report (`zerodrop lab --report FILE`) in headless Chromium, for the README.
//
//   node dist/cli/main.js lab --quick --no-progress --report /tmp/report.html
//   node scripts/screenshot-report.mjs /tmp/report.html docs/img/report.png [maxHeightPx]
//
// Uses the system Chromium (/usr/bin/chromium, or $CHROMIUM) with a fresh profile and no network
// services, and clips the page to its top maxHeightPx (default 1700) at 1200 px wide.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from './chromium.mjs';

const [input, output, maxHeightArg] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node scripts/screenshot-report.mjs REPORT.html OUT.png [maxHeightPx]');
  process.exit(2);
}
const maxHeight = Number(maxHeightArg ?? 1700);
const width = 1200;
const { context, close } = await launchChromium({ width, height: 900 });
try {
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.resolve(input)).href, { waitUntil: 'load' });
  // The report draws its charts from inline script after load: give it a frame to settle.
  await page.waitForTimeout(500);
  const fullHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path: output, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(fullHeight, maxHeight) } });
  console.log(`${output}: ${width}x${Math.min(fullHeight, maxHeight)} (page is ${fullHeight} px tall)`);
} finally {
  await close();
}
