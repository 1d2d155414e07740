import * as v from 'valibot';
import { pathSchema } from '../schema/os-values.ts';
import { openRotatingFile } from '../log/rotating-file.ts';
import type { Batch, CheckResult } from '../result.ts';
import { csvField } from '../format/csv-field.ts';
import { defineSink } from './sink.ts';

const COLUMNS = ['timestamp', 'host', 'check', 'instance', 'status', 'metric', 'value', 'details'];
const CRLF = '\r\n';

const row = (result: CheckResult, metric?: string, value?: number): string =>
  [
    csvField(result.timestamp),
    csvField(result.host),
    csvField(result.name),
    csvField(result.instance),
    csvField(result.status),
    csvField(metric),
    csvField(value, false),
    csvField(result.details),
  ].join(',') + CRLF;

/** One row per result and metric; a result without metrics (UNKNOWN) still gets one row with its reason. */
export function renderCsvRows(batch: Batch): string {
  let text = '';
  for (const result of batch.results) {
    const metrics = Object.entries(result.metrics);
    if (metrics.length === 0) text += row(result);
    for (const [metric, value] of metrics) text += row(result, metric, value);
  }
  return text;
}

export const csvSink = defineSink({
  description: 'Append one CSV row per result and metric to a file, rotated by size',
  options: v.strictObject({
    path: v.pipe(pathSchema, v.description('The CSV file; created with a header, rotated to FILE.1, FILE.2, …')),
    max_bytes: v.pipe(
      v.optional(v.pipe(v.number(), v.integer(), v.minValue(4096)), 50 * 1024 * 1024),
      v.description('Rotate past this size'),
    ),
    max_files: v.pipe(
      v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)), 5),
      v.description('Rotated files kept'),
    ),
  }),
  create: (options) => {
    const file = openRotatingFile(options.path, {
      maxBytes: options.max_bytes,
      maxFiles: options.max_files,
      header: COLUMNS.join(',') + CRLF,
      mode: 0o640,
    });
    return {
      write: (batch) => {
        const dropped = file.dropped;
        file.write(renderCsvRows(batch));
        if (file.dropped > dropped) throw new Error(`Cannot write to CSV file "${options.path}"`);
      },
      close: () => file.close(),
    };
  },
});
