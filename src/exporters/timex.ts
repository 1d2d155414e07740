import type { Timex } from '../collect/adjtimex.ts';
import { defineExporter } from './exporter.ts';
import type { ExportedFamily, ExportedSample } from './series.ts';

const gauge = (name: string, help: string): ExportedFamily => ({ name, type: 'gauge', help });
const counter = (name: string, help: string): ExportedFamily => ({ name, type: 'counter', help });

// adjtimex(2), NOTES: offsets in microseconds, or nanoseconds with STA_NANO; frequencies in ppm with a 16-bit
// fraction. The clock state TIME_ERROR (5) means not synchronized.
const STA_NANO = 0x2000;
const TIME_ERROR = 5;
const PPM16FRAC = 1_000_000 * 65_536;
const MICRO = 1_000_000;

/** node_exporter's families and help texts (collector/timex.go), value from the struct as it computes them. */
const FAMILIES: readonly [ExportedFamily, (timex: Timex, divisor: number) => number][] = [
  [
    gauge('node_timex_offset_seconds', 'Time offset in between local system and reference clock.'),
    (t, d) => t.offset / d,
  ],
  [gauge('node_timex_frequency_adjustment_ratio', 'Local clock frequency adjustment.'), (t) => 1 + t.freq / PPM16FRAC],
  [gauge('node_timex_maxerror_seconds', 'Maximum error in seconds.'), (t) => t.maxerror / MICRO],
  [gauge('node_timex_estimated_error_seconds', 'Estimated error in seconds.'), (t) => t.esterror / MICRO],
  [gauge('node_timex_status', 'Value of the status array bits.'), (t) => t.status],
  [gauge('node_timex_loop_time_constant', 'Phase-locked loop time constant.'), (t) => t.constant],
  [gauge('node_timex_tick_seconds', 'Seconds between clock ticks.'), (t) => t.tick / MICRO],
  [gauge('node_timex_pps_frequency_hertz', 'Pulse per second frequency.'), (t) => t.ppsfreq / PPM16FRAC],
  [gauge('node_timex_pps_jitter_seconds', 'Pulse per second jitter.'), (t, d) => t.jitter / d],
  [gauge('node_timex_pps_shift_seconds', 'Pulse per second interval duration.'), (t) => t.shift],
  [
    gauge('node_timex_pps_stability_hertz', 'Pulse per second stability, average of recent frequency changes.'),
    (t) => t.stabil / PPM16FRAC,
  ],
  [counter('node_timex_pps_jitter_total', 'Pulse per second count of jitter limit exceeded events.'), (t) => t.jitcnt],
  [counter('node_timex_pps_calibration_total', 'Pulse per second count of calibration intervals.'), (t) => t.calcnt],
  [counter('node_timex_pps_error_total', 'Pulse per second count of calibration errors.'), (t) => t.errcnt],
  [
    counter('node_timex_pps_stability_exceeded_total', 'Pulse per second count of stability limit exceeded events.'),
    (t) => t.stbcnt,
  ],
  [gauge('node_timex_tai_offset_seconds', 'International Atomic Time (TAI) offset.'), (t) => t.tai],
  [
    gauge('node_timex_sync_status', 'Is clock synchronized to a reliable server (1 = yes, 0 = no).'),
    (t) => (t.state === TIME_ERROR ? 0 : 1),
  ],
];

/** The families a reading gives, in node_exporter's order. */
export function timexSamples(timex: Timex): ExportedSample[] {
  const divisor = (timex.status & STA_NANO) !== 0 ? 1_000_000_000 : MICRO;
  return FAMILIES.map(([family, value]) => ({ family, value: value(timex, divisor) }));
}

/**
 * node_exporter's timex collector: the kernel's clock discipline (NTP offset, frequency, errors, PPS), what the
 * "Node Exporter Full" dashboard's time-synchronization panels show. Read through adjtimex(2) by a helper
 * (collect/adjtimex.ts); where that cannot run, the collector reports failure and the others go on.
 */
export const timexExporter = defineExporter({
  description: 'The kernel clock discipline from adjtimex(2): NTP offset, frequency, errors and sync status',
  collect: async ({ adjtimex }) => {
    if (!adjtimex) throw new Error('adjtimex cannot be read here');
    return timexSamples(await adjtimex());
  },
});
