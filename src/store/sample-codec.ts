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

class ByteReader {
  private offset = 0;
  private readonly view: DataView;
  private readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  byte(): number {
    if (this.offset >= this.bytes.length) throw new RangeError('chunk ends early');
    return this.bytes[this.offset++]!;
  }

  varint(): number {
    let value = 0;
    let factor = 1;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * factor;
      if (byte < 0x80) return value;
      factor *= 0x80;
      if (factor > MAX_EXACT * 0x80) throw new RangeError('varint too long');
    }
  }

  float64(): number {
    if (this.offset + 8 > this.bytes.length) throw new RangeError('chunk ends early');
    const value = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return value;
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

export function decodeSamples(bytes: Uint8Array): Samples {
  const input = new ByteReader(bytes);
  const version = input.byte();
  if (version !== FORMAT_VERSION) throw new RangeError(`unknown chunk format ${version}`);
  const count = input.varint();
  const timestamps = new Array<number>(count);
  const values = new Array<number>(count);
  let time = 0;
  let delta = 0;
  for (let index = 0; index < count; index++) {
    if (index === 0) time = input.varint();
    else {
      delta += unzigzag(input.varint());
      time += delta;
    }
    timestamps[index] = time;
  }
  let previousScale = -1;
  let previousScaled = 0;
  for (let index = 0; index < count; index++) {
    const token = input.varint();
    const scale = token % 8;
    if (scale === ESCAPE) {
      values[index] = input.float64();
      previousScale = -1;
      continue;
    }
    const difference = unzigzag((token - scale) / 8);
    const scaled = scale === previousScale ? previousScaled + difference : difference;
    values[index] = scaled / POWERS[scale]!;
    previousScale = scale;
    previousScaled = scaled;
  }
  return { timestamps, values };
}
