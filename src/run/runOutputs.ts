/**
 * The three files a lab or rollout run can leave (--json, --events, --report), claimed together
 * under the output policy (src/output/outputFiles.ts) before the run starts, and written the
 * same way by both commands: the event stream as it happens (moved into place when it closes,
 * even after a failed run, so the events that were seen stay renderable), the JSON and the HTML
 * report once the run is over.
 */
import { NdjsonSink, type EventListener } from '../events/stream.js';
import type { ZerodropEvent } from '../events/schema.js';
import { renderHtmlReport } from '../report/html/renderHtmlReport.js';
import { claimOutputs, type OutputFile, type OutputInputs } from '../output/outputFiles.js';

export interface RunOutputFlags {
  json?: string | undefined;
  events?: string | undefined;
  report?: string | undefined;
  force?: boolean | undefined;
}

export class RunOutputs {
  private readonly sink?: NdjsonSink;
  private readonly recorded: ZerodropEvent[] = [];
  private eventsWritten = 0;

  private constructor(
    private readonly json: OutputFile | undefined,
    private readonly events: OutputFile | undefined,
    private readonly report: OutputFile | undefined,
  ) {
    if (events) this.sink = new NdjsonSink(events.stream());
  }

  /** Checks every output against the policy, or throws the first violation; nothing has run yet. */
  static claim(flags: RunOutputFlags, inputs: OutputInputs): RunOutputs {
    const named = (['json', 'events', 'report'] as const).filter((k) => flags[k] !== undefined);
    // claimOutputs returns the files in the order asked for.
    const files = claimOutputs(
      named.map((k) => ({ flag: `--${k}`, path: flags[k]! })),
      { force: flags.force === true, inputs },
    );
    const fileFor = (k: (typeof named)[number]) => files[named.indexOf(k)];
    return new RunOutputs(fileFor('json'), fileFor('events'), fileFor('report'));
  }

  /** Subscribe these to every run's event stream. */
  listeners(): EventListener[] {
    const out: EventListener[] = [];
    const sink = this.sink;
    if (sink)
      out.push((e) => {
        this.eventsWritten++;
        sink.write(e);
      });
    if (this.report) out.push((e) => this.recorded.push(e));
    return out;
  }

  /**
   * Closes the event file and moves it into place; `keep: false` removes it instead (a dry run),
   * and so does a run that failed before its first event (a usage error found by the cluster).
   */
  async closeEvents(keep = true): Promise<void> {
    if (!this.events) return;
    await this.sink?.close();
    if (keep && this.eventsWritten > 0) this.events.commit();
    else this.events.discard();
  }

  writeJson(value: unknown): void {
    this.json?.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes the HTML report of the recorded events; false when there was none to write. */
  writeReport(title: string): boolean {
    if (!this.report) return false;
    if (this.recorded.length === 0) {
      this.report.discard();
      return false;
    }
    this.report.write(renderHtmlReport(this.recorded, { title }));
    return true;
  }

  /** Removes whatever was not written (the run failed or wrote nothing). */
  discard(): void {
    this.json?.discard();
    this.report?.discard();
  }
}
