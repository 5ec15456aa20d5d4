import { basename } from 'node:path';
import type { Command } from 'commander';
import { ZerodropError } from '../errors.js';
import { readEventsFile } from '../events/stream.js';
import { writeHtmlReport } from '../report/html/writeHtmlReport.js';

interface ReportOptions {
  output?: string;
  force?: boolean;
  title?: string;
}

/** `runs.ndjson` → `runs.html`, next to the events file. */
export function defaultReportPath(eventsPath: string): string {
  return /\.(nd)?jsonl?$/i.test(eventsPath) ? eventsPath.replace(/\.(nd)?jsonl?$/i, '.html') : `${eventsPath}.html`;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report <events>')
    .description('render an NDJSON event stream (zerodrop lab --events, zerodrop rollout --events) as one self-contained HTML file')
    .option('-o, --output <file>', 'where to write the HTML report (default: the events file name with .html)')
    .option('-f, --force', 'replace the output file if it exists (never the events file)')
    .option('--title <text>', 'title shown at the top of the report (default: the events file name)')
    .addHelpText(
      'after',
      `
The report shows, for every run in the file: the verdict and why, requests per second (succeeded
vs failed, stacked by failure class), latency percentiles, one lane per pod (pending, ready,
terminating with preStop, signalled, killed, exited) with markers for the stop signal, SIGKILL and
each traffic consumer removing the endpoint, every failed request on the same time axis (hover for
details), the configuration, its audit findings and the command that reproduces the run.

The file needs no network access: uPlot and the data are inline. It prints one run per page.

Examples:
  zerodrop report runs.ndjson                       writes runs.html
  zerodrop report runs.ndjson -o /tmp/r.html --force`,
    )
    .action((eventsPath: string, options: ReportOptions) => {
      const output = options.output ?? defaultReportPath(eventsPath);
      const events = readEventsFile(eventsPath);
      if (events.length === 0) {
        throw new ZerodropError('events-empty', `${eventsPath} holds no events; write one with 'zerodrop lab --events FILE'`);
      }
      const model = writeHtmlReport(output, events, { title: options.title ?? basename(eventsPath), force: options.force === true, inputs: [eventsPath] });
      const runs = model.runs.map((r) => `${r.run} ${r.summary.verdict.toUpperCase()}${r.summary.failures > 0 ? ` (${r.summary.failures} failed)` : ''}`);
      process.stdout.write(`wrote ${output}: ${runs.join(', ')}\n`);
    });
}
