/**
 * The packed form of one series' samples over one hour, as stored in `chunks.data`.
 *
 * A row per sample costs ~19 bytes in SQLite even WITHOUT ROWID, which puts 30 days of 10 s history for a small host
 * past 300 MB. Packed, a sample costs 2–4 bytes: timestamps as delta-of-deltas (a steady interval costs one byte),
 * values as decimal integers with a scale, each a difference from the one before (an unchanged value costs one byte).
 *
 * Fractional values keep six significant digits (`quantize`), integers stay exact up to 2^53; anything else is
 * stored as a raw float64 behind an escape, so no value is ever refused.
 */

const FORMAT_VERSION = 1;
const ESCAPE = 7; // scale slot meaning "a raw float64 follows"
const MAX_SCALE = 6;
const SIGNIFICANT_DIGITS = 6;
const MAX_EXACT = 2 ** 53;
const POWERS = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

export interface Samples {
  /** Milliseconds since the epoch, ascending. */
  timestamps: number[];
  values: number[];
}

/** The decimal scale a value is stored with: 0 for integers, else enough digits for six significant ones. */
function scaleOf(value: number): number {
  if (Number.isInteger(value)) return 0;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  return Math.min(MAX_SCALE, Math.max(0, SIGNIFICANT_DIGITS - 1 - magnitude));
}

/** The value as history keeps it; applied before a sample is stored so that packing never changes what a query sees. */
export function quantize(value: number): number {
  const scale = scaleOf(value);
  if (scale === 0) return Number.isInteger(value) ? value : Math.round(value);
  const scaled = Math.round(value * POWERS[scale]!);
  return Math.abs(scaled) > MAX_EXACT ? value : scaled / POWERS[scale]!;
}

class ByteWriter {
  private bytes = new Uint8Array(256);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value;
  }

  /** Unsigned LEB128 for integers up to 2^53; arithmetic instead of bit operators, which stop at 32 bits. */
  varint(value: number): void {
    this.reserve(8);
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest % 0x80) + 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.bytes[this.length++] = rest;
  }

  float64(value: number): void {
    this.reserve(8);
    new DataView(this.bytes.buffer).setFloat64(this.length, value, true);
    this.length += 8;
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

const zigzag = (value: number): number => (value < 0 ? -value * 2 - 1 : value * 2);
const unzigzag = (value: number): number => (value % 2 === 1 ? -(value + 1) / 2 : value / 2);

export function encodeSamples({ timestamps, values }: Samples): Uint8Array {
  if (timestamps.length !== values.length) throw new RangeError('timestamps and values differ in length');
  const out = new ByteWriter();
  out.byte(FORMAT_VERSION);
  out.varint(timestamps.length);
  let previousTime = 0;
  let previousDelta = 0;
  timestamps.forEach((time, index) => {
    if (index === 0) out.varint(time);
    else {
      const delta = time - previousTime;
      out.varint(zigzag(delta - previousDelta));
      previousDelta = delta;
    }
    previousTime = time;
  });
  let previousScale = -1;
  let previousScaled = 0;
  for (const value of values) {
    const scale = scaleOf(value);
    const scaled = Math.round(value * POWERS[scale]!);
    const difference = scale === previousScale ? scaled - previousScaled : scaled;
    // The token holds zigzag(difference) * 8 + scale, so it must stay below 2^53 to be exact.
    if (Math.abs(scaled) > MAX_EXACT || Math.abs(difference) > 2 ** 48) {
      out.varint(ESCAPE);
      out.float64(value);
      previousScale = -1;
      continue;
    }
    out.varint(zigzag(difference) * 8 + scale);
    previousScale = scale;
    previousScaled = scaled;
  }
  return out.result();
}

/**
 * Reads LEB128 varints from a chunk. Most here are one or two bytes, read with integer operations; longer ones (up to
 * 2^53) with float arithmetic, since bit operators stop at 32 bits.
 */
class VarintReader {
  offset = 0;
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array, offset: number) {
    this.bytes = bytes;
    this.offset = offset;
  }

  next(): number {
    const { bytes } = this;
    const length = bytes.length;
    const first = this.offset < length ? bytes[this.offset]! : 0x80;
    if (first < 0x80) {
      this.offset++;
      return first;
    }
    if (this.offset + 1 < length && bytes[this.offset + 1]! < 0x80) {
      const value = (first & 0x7f) | (bytes[this.offset + 1]! << 7);
      this.offset += 2;
      return value;
    }
    let value = 0;
    let factor = 1;
    for (;;) {
      if (this.offset >= length) throw new RangeError('chunk ends early');
      const byte = bytes[this.offset++]!;
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 0x80;
      if (factor > MAX_EXACT * 0x80) throw new RangeError('varint too long');
    }
  }
}

/** Checks the format byte; returns a reader positioned after it. */
function openChunk(bytes: Uint8Array): VarintReader {
  if (bytes.length === 0) throw new RangeError('chunk ends early');
  if (bytes[0] !== FORMAT_VERSION) throw new RangeError(`unknown chunk format ${bytes[0]}`);
  return new VarintReader(bytes, 1);
}

/** The first sample's time, without decoding the rest (a chunk's start_ts is its hour, not its first sample). */
export function firstTimestamp(bytes: Uint8Array): number {
  const input = openChunk(bytes);
  input.next(); // the count
  return input.next();
}

/** Where a report decodes to: typed arrays sized once from the chunks' counts, so no array grows per sample. */
export interface SampleBuffer {
  timestamps: Float64Array;
  values: Float64Array;
  length: number;
}

export function sampleBuffer(capacity: number): SampleBuffer {
  return { timestamps: new Float64Array(capacity), values: new Float64Array(capacity), length: 0 };
}

export function decodeSamples(bytes: Uint8Array): Samples {
  const out = sampleBuffer(bytes.length); // a sample takes at least two bytes, so this always fits
  decodeSamplesInto(bytes, out, -Infinity, Infinity);
  return {
    timestamps: Array.from(out.timestamps.subarray(0, out.length)),
    values: Array.from(out.values.subarray(0, out.length)),
  };
}

/**
 * Appends the samples with since <= time < until to `out`. The hot loop of every report: no array grows, and
 * tokens that fit 31 bits are split with integer operations.
 */
export function decodeSamplesInto(bytes: Uint8Array, out: SampleBuffer, since: number, until: number): void {
  const input = openChunk(bytes);
  const count = input.next();
  // Times go straight into the output (the caller sized it for every sample of its chunks), not into a scratch
  // array per chunk: a day's report decodes ~1,300 chunks and those arrays were most of its garbage.
  const base = out.length;
  if (base + count > out.timestamps.length) throw new RangeError('sample buffer too small for the chunk');
  const times = out.timestamps;
  let time = 0;
  let delta = 0;
  for (let index = 0; index < count; index++) {
    if (index === 0) time = input.next();
    else {
      const zigzagged = input.next();
      delta += zigzagged < 0x40000000 ? (zigzagged >>> 1) ^ -(zigzagged & 1) : unzigzag(zigzagged);
      time += delta;
    }
    times[base + index] = time;
  }
  let previousScale = -1;
  let previousScaled = 0;
  let view: DataView | undefined;
  let kept = base;
  for (let index = 0; index < count; index++) {
    const token = input.next();
    // Integer operations while the token fits 31 bits (almost always); % and / on doubles are several times slower.
    const small = token < 0x40000000;
    const scale = small ? token & 7 : token % 8;
    let value: number;
    if (scale === ESCAPE) {
      if (input.offset + 8 > bytes.length) throw new RangeError('chunk ends early');
      view ??= new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      value = view.getFloat64(input.offset, true);
      input.offset += 8;
      previousScale = -1;
    } else {
      const zigzagged = small ? token >>> 3 : (token - scale) / 8;
      const difference = small ? (zigzagged >>> 1) ^ -(zigzagged & 1) : unzigzag(zigzagged);
      const scaled = scale === previousScale ? previousScaled + difference : difference;
      value = scaled / POWERS[scale]!;
      previousScale = scale;
      previousScaled = scaled;
    }
    // Samples outside [since, until) are dropped by compacting in place: kept never passes the index read.
    const ts = times[base + index]!;
    if (ts >= since && ts < until) {
      times[kept] = ts;
      out.values[kept++] = value;
    }
  }
  out.length = kept;
}
