/**
 * Prometheus remote write 1.0 (https://prometheus.io/docs/specs/remote_write_spec/): a WriteRequest protobuf,
 * snappy-compressed. Written by hand, not with protobufjs: three messages of two fields each are forty lines, and
 * a protobuf runtime would cost start-up and a code generator for them (docs/architecture.md, "Dependencies").
 *
 *   message WriteRequest { repeated TimeSeries timeseries = 1; }
 *   message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   message Label        { string name = 1; string value = 2; }
 *   message Sample       { double value = 1; int64 timestamp = 2; }
 */

export interface ParsedSample {
  /** The series as the exposition wrote it, `name{labels}`: samples of one series share it. */
  series: string;
  name: string;
  labels: [string, string][];
  value: number;
  timestampMs: number | undefined;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;

/** One sample line of the Prometheus text format 0.0.4 (`name{a="b"} 1.5 [timestamp]`); comments give undefined. */
export function parseSampleLine(line: string): ParsedSample | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  const name = NAME.exec(line)?.[0];
  if (name === undefined) throw new Error(`not a sample line: ${line.slice(0, 80)}`);
  const labels: [string, string][] = [];
  let at = name.length;
  if (line[at] === '{') {
    at += 1;
    while (line[at] !== '}') {
      LABEL_NAME.lastIndex = at;
      const label = LABEL_NAME.exec(line)?.[0];
      if (label === undefined || line[at + label.length] !== '=' || line[at + label.length + 1] !== '"')
        throw new Error(`bad label at column ${at + 1}: ${line.slice(0, 80)}`);
      at += label.length + 2;
      let value = '';
      for (;;) {
        const char = line[at];
        if (char === undefined) throw new Error(`unterminated label value: ${line.slice(0, 80)}`);
        at += 1;
        if (char === '"') break;
        if (char === '\\') {
          const escaped = line[at];
          at += 1;
          value += escaped === 'n' ? '\n' : (escaped ?? '');
        } else value += char;
      }
      labels.push([label, value]);
      if (line[at] === ',') at += 1;
    }
    at += 1;
  }
  const series = line.slice(0, at);
  const [valueText, timestampText] = line.slice(at).trim().split(/\s+/);
  const value = parseValue(valueText ?? '');
  return {
    series,
    name,
    labels,
    value,
    timestampMs: timestampText === undefined ? undefined : Number(timestampText),
  };
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad sample value "${text}"`);
  return value;
}

/** Samples grouped per series in arrival order, with the labels every series gets unless it has its own. */
export function groupSeries(
  samples: Iterable<ParsedSample>,
  external: Readonly<Record<string, string>>,
): { labels: [string, string][]; samples: [number, number][] }[] {
  const bySeries = new Map<string, { labels: [string, string][]; samples: [number, number][] }>();
  for (const sample of samples) {
    let entry = bySeries.get(sample.series);
    if (!entry) {
      const labels = new Map<string, string>([['__name__', sample.name]]);
      for (const [name, value] of Object.entries(external)) labels.set(name, value);
      for (const [name, value] of sample.labels) labels.set(name, value);
      // The spec asks for labels sorted by name, and no empty values (an empty label is an absent one).
      const sorted = [...labels].filter(([, value]) => value !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      entry = { labels: sorted, samples: [] };
      bySeries.set(sample.series, entry);
    }
    entry.samples.push([sample.value, sample.timestampMs ?? 0]);
  }
  for (const entry of bySeries.values()) entry.samples.sort((a, b) => a[1] - b[1]);
  return [...bySeries.values()];
}

/** Appends protobuf fields to a growing buffer; nested messages are written into their own writer first. */
class ProtoWriter {
  private buffer: Buffer;
  length = 0;

  constructor(initialBytes = 64) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** Unsigned varint; timestamps pass 2^32, so no bit operators past the low 7 bits. */
  varint(value: number): void {
    this.reserve(10);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  bytes(field: number, payload: Buffer | Uint8Array): void {
    this.varint((field << 3) | 2);
    this.varint(payload.length);
    this.reserve(payload.length);
    this.buffer.set(payload, this.length);
    this.length += payload.length;
  }

  string(field: number, text: string): void {
    this.bytes(field, Buffer.from(text, 'utf8'));
  }

  double(field: number, value: number): void {
    this.varint((field << 3) | 1);
    this.reserve(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  int64(field: number, value: number): void {
    this.varint(field << 3);
    this.varint(value);
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/** The WriteRequest protobuf, uncompressed. Timestamps must be non-negative milliseconds. */
export function encodeWriteRequest(series: ReturnType<typeof groupSeries>): Buffer {
  const request = new ProtoWriter(64 * 1024);
  for (const entry of series) {
    const timeSeries = new ProtoWriter(256);
    for (const [name, value] of entry.labels) {
      const label = new ProtoWriter();
      label.string(1, name);
      label.string(2, value);
      timeSeries.bytes(1, label.finish());
    }
    for (const [value, timestampMs] of entry.samples) {
      const sample = new ProtoWriter();
      sample.double(1, value);
      sample.int64(2, timestampMs);
      timeSeries.bytes(2, sample.finish());
    }
    request.bytes(1, timeSeries.finish());
  }
  return request.finish();
}
