import { NAGIOS_CODES, type Batch, type CheckResult } from '../result.ts';

// Line protocol escaping (docs.influxdata.com, "Line protocol" → "Special characters"): measurement names escape
// commas and spaces; tag keys, tag values and field keys also escape equals signs. A line cannot hold a newline or
// tab at all, so those are written as the two characters "\n", "\t".
const CONTROL: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escaped = (character: string): string => CONTROL[character] ?? `\\${character}`;
// A trailing backslash would escape the comma or space after it, and line protocol has no way to write one
// (influxdata/influxdb#6154): it is dropped, so the Windows drive "C:\" becomes "C:", as Telegraf's inputs name it.
const trimmed = (text: string): string => text.replace(/\\+$/, '');
const escapeMeasurement = (text: string): string => trimmed(text).replace(/[, \n\r\t]/g, escaped);
const escapeKey = (text: string): string => trimmed(text).replace(/[,= \n\r\t]/g, escaped);
const fieldString = (text: string): string =>
  `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/**
 * One point per result: measurement `<prefix><check>`, tags host, instance and the result's labels (sorted, as
 * InfluxDB prefers), every finite metric as a float field (one type per field, always, or InfluxDB refuses the
 * next write), status as a string and status_code as an integer, and the result's time in milliseconds.
 */
export function resultToLine(result: CheckResult, prefix: string): string {
  const tags: Record<string, string> = { ...result.labels, host: result.host };
  if (result.instance !== undefined && result.instance !== '') tags.instance = result.instance;
  let line = escapeMeasurement(`${prefix}${result.name}`);
  for (const key of Object.keys(tags).sort()) {
    const value = tags[key];
    const text = value === undefined ? '' : escapeKey(value);
    if (text !== '') line += `,${escapeKey(key)}=${text}`;
  }
  let fields = `status=${fieldString(result.status)},status_code=${NAGIOS_CODES[result.status]}i`;
  for (const [metric, value] of Object.entries(result.metrics)) {
    if (Number.isFinite(value)) fields += `,${escapeKey(metric)}=${String(value)}`;
  }
  return `${line} ${fields} ${Date.parse(result.timestamp)}`;
}

export const batchToLines = (batch: Batch, prefix: string): string[] =>
  batch.results.map((result) => resultToLine(result, prefix));
