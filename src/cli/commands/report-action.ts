import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDuration } from '../../schema/duration.ts';
import { CannotWriteError, NoInputError, UsageError } from '../../errors.ts';
import { didYouMeanHint } from '../../config/did-you-mean.ts';
import { buildReport } from '../../report/build-report.ts';
import { checkTimeZone, formatTime } from '../../report/format.ts';
import { reportToJson, renderReportCsv } from '../../report/render-data.ts';
import { historyRange, listSeries, openHistoryForReading } from '../../store/history-read.ts';
import { wantsColor, type Io } from '../io.ts';
import { loadAudited } from '../../engine/runtime.ts';
import { historyPath } from '../../store/history-path.ts';

export interface ReportOptions {
  config?: string;
  since: string;
  until?: string;
  check?: string;
  instance?: string;
  metric?: string;
  output: 'table' | 'json' | 'csv' | 'markdown';
  html?: string;
  db?: string;
  tz?: string;
  all?: boolean;
}

/** "24h" or "7d" back from now, or an ISO-8601 time ("2026-11-26T22:00", "2026-11-26"). */
export function parseReportTime(text: string, now: number, flag: string): number {
  const seconds = parseDuration(text);
  if (seconds !== undefined) return now - seconds * 1000;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const time = Date.parse(text);
    if (Number.isFinite(time)) return time;
  }
  throw new UsageError(`Option ${flag} needs a duration such as "24h" or "7d", or an ISO-8601 time (got "${text}")`);
}

function parseTimeZone(zone: string): string {
  try {
    return checkTimeZone(zone);
  } catch {
    throw new UsageError(`Option --tz needs UTC, local or an IANA time zone such as "Europe/Berlin" (got "${zone}")`);
  }
}

export async function runReport(io: Io, options: ReportOptions, now = Date.now()): Promise<void> {
  const since = parseReportTime(options.since, now, '--since');
  const until = options.until === undefined ? now : parseReportTime(options.until, now, '--until');
  if (since >= until) throw new UsageError('The report window is empty: --since must be before --until');
  const timeZone = parseTimeZone(options.tz ?? 'UTC');
  // The config also gives the charts their threshold lines, so it is read with --db too.
  const { config } = await loadAudited(io, options.config, {});
  const path = options.db ?? historyPath(config, io.env);
  const db = openHistoryForReading(path);
  try {
    const range = historyRange(db);
    if (!range)
      throw new NoInputError(`The history at ${path} is empty`, {
        hint: 'the status loop (`argus status`) records a cycle every poll_interval',
      });
    const chartLines = options.html ? await import('../../checks/chart-lines.ts') : undefined;
    const report = buildReport(db, {
      since,
      until,
      check: options.check,
      instance: options.instance,
      metric: options.metric,
      charts: options.html !== undefined,
      timeZone,
      // The page orders each group main metric first; check definitions load only for it.
      ...(chartLines ? { mainMetric: chartLines.mainMetricOf } : {}),
    });
    if (report.metrics.length === 0 && report.statuses.length === 0) {
      // A check never recorded at all is a mistyped name, not a quiet window.
      const recorded = [...new Set(listSeries(db, {}).map((series) => series.check))];
      if (options.check !== undefined && !recorded.includes(options.check))
        throw new UsageError(`Unknown check "${options.check}" in --check${didYouMeanHint(options.check, recorded)}`, {
          hint: `the history holds: ${recorded.join(', ') || 'nothing yet'}`,
        });
      const filter = [options.check, options.instance, options.metric].filter(Boolean).join(' ');
      throw new NoInputError(
        `Nothing recorded${filter ? ` for ${filter}` : ''} between ${formatTime(since, timeZone)} and ${formatTime(until, timeZone)}`,
        { hint: `the history covers ${formatTime(range.first, timeZone)} to ${formatTime(range.last, timeZone)}` },
      );
    }
    if (options.html) {
      const { renderReportHtml } = await import('../../report/render-html.ts');
      const target = resolve(io.cwd, options.html);
      try {
        const describe = (check: string, instance: string, metric: string) =>
          chartLines!.metricLines(check, instance, metric, config.thresholds);
        writeFileSync(target, renderReportHtml(report, describe), { mode: 0o644 });
      } catch (error) {
        throw new CannotWriteError(`Cannot write ${target}: ${(error as Error).message}`, { cause: error });
      }
      io.stderr(`argus: wrote ${target}\n`);
    }
    if (options.output === 'json') io.stdout(`${JSON.stringify(reportToJson(report), null, 2)}\n`);
    else if (options.output === 'csv') io.stdout(renderReportCsv(report));
    else {
      // cli-table3 loads only for the formats that draw tables: scripts asking for json or csv skip it.
      const { renderReportMarkdown, renderReportTable } = await import('../../report/render-text.ts');
      if (options.output === 'markdown') io.stdout(renderReportMarkdown(report));
      else
        io.stdout(renderReportTable(report, { color: wantsColor(io), columns: io.columns, all: options.all === true }));
    }
  } finally {
    db.close();
  }
}
