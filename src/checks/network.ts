import * as v from 'valibot';
import type { Host } from '../collect/host.ts';
import { readIfindex, readLinkSpeed, readNetDev, type InterfaceCounters } from '../collect/net-dev.ts';
import { createRateTracker, type Sampled } from '../collect/rate-tracker.ts';
import { formatRate } from '../format/units.ts';
import { defineCheck, type Reading } from './check.ts';
import { createNameFilter } from './name-filter.ts';

/** The counters the check takes rates of: the eight every kernel has (the rest are only exported). */
type RateCounter =
  'rxBytes' | 'txBytes' | 'rxPackets' | 'txPackets' | 'rxErrors' | 'txErrors' | 'rxDropped' | 'txDropped';
const RATE_FIELDS: readonly { metric: string; counter: RateCounter }[] = [
  { metric: 'rx_bytes_per_second', counter: 'rxBytes' },
  { metric: 'tx_bytes_per_second', counter: 'txBytes' },
  { metric: 'rx_packets_per_second', counter: 'rxPackets' },
  { metric: 'tx_packets_per_second', counter: 'txPackets' },
  { metric: 'rx_errors_per_second', counter: 'rxErrors' },
  { metric: 'tx_errors_per_second', counter: 'txErrors' },
  { metric: 'rx_dropped_per_second', counter: 'rxDropped' },
  { metric: 'tx_dropped_per_second', counter: 'txDropped' },
];

// Per-container and loopback links churn by the hundred on container hosts (netdata #5575); users can opt in.
const DEFAULT_EXCLUDES = ['lo', 'veth*', 'cali*', 'flannel*', 'cni*', 'docker*', 'br-*', 'virbr*-nic'];

/** Bytes per second a link cannot plausibly exceed; rates above it come from a reset we could not see. */
const ABSURD_RATE_FACTOR = 10;
const UNKNOWN_SPEED_CAP_BYTES = 400e9 / 8;
const SPEED_REFRESH_MS = 60_000;
const IFINDEX_REFRESH_MS = 30_000;

export const networkCheck = defineCheck({
  description: 'Traffic, packets, errors and drops per interface, as rates from /proc/net/dev',
  categories: ['system', 'network'],
  options: v.strictObject({
    include: v.pipe(
      v.optional(v.array(v.string()), []),
      v.description('Only interfaces matching these globs; empty means all'),
    ),
    exclude: v.pipe(
      v.optional(v.array(v.string()), DEFAULT_EXCLUDES),
      v.description('Interfaces to skip (globs); loopback is here by default'),
    ),
  }),
  metrics: [
    { name: 'rx_bytes_per_second', unit: 'bytes_per_second', help: 'Bytes received', rate: true },
    { name: 'tx_bytes_per_second', unit: 'bytes_per_second', help: 'Bytes transmitted', rate: true },
    { name: 'rx_packets_per_second', unit: 'per_second', help: 'Packets received', rate: true },
    { name: 'tx_packets_per_second', unit: 'per_second', help: 'Packets transmitted', rate: true },
    { name: 'rx_errors_per_second', unit: 'per_second', help: 'Receive errors', rate: true },
    { name: 'tx_errors_per_second', unit: 'per_second', help: 'Transmit errors', rate: true },
    { name: 'rx_dropped_per_second', unit: 'per_second', help: 'Received packets dropped', rate: true },
    { name: 'tx_dropped_per_second', unit: 'per_second', help: 'Transmitted packets dropped', rate: true },
    {
      name: 'utilization_percent',
      unit: 'percent',
      help: 'Busier direction as a share of link speed; absent when the speed is unknown',
      rate: true,
    },
  ],
  mainMetric: 'utilization_percent',
  needsTwoSamples: true,
  create: (options) => {
    const isWanted = createNameFilter(options.include, options.exclude);
    const counterRates = createRateTracker<string, InterfaceCounters>(() => false);
    // ifindex says whether a name still means the same interface (veth churn reuses names).
    const identities = new Map<string, { ifindex: string | undefined; readAtMs: number; rxBytes: number }>();
    // Reading speed throws EINVAL on virtual links, the costliest read of the cycle: keep it for a minute.
    const speeds = new Map<string, { speed: number | undefined; readAtMs: number }>();
    const speedOf = (host: Host, name: string, now: number): number | undefined => {
      const cached = speeds.get(name);
      if (cached && now - cached.readAtMs < SPEED_REFRESH_MS) return cached.speed;
      const speed = readLinkSpeed(host, name);
      speeds.set(name, { speed, readAtMs: now });
      return speed;
    };
    return ({ host, monotonicMs }) => {
      const now = monotonicMs();
      const readings: Reading[] = [];
      const seen = new Set<string>();
      // forEach, not for…of: without the optimizing compiler each step of a Map iterator allocates.
      readNetDev(host).forEach((counters, name) => {
        if (!isWanted(name)) return;
        seen.add(name);
        // ifindex is one sysfs read per interface: re-read it on first sight, after counters went backwards,
        // and every 30 s. In between, a reused name with higher counters is caught by the absurd-rate guard.
        const known = identities.get(name);
        const stale = !known || known.rxBytes > counters.rxBytes || now - known.readAtMs >= IFINDEX_REFRESH_MS;
        const ifindex = stale ? readIfindex(host, name) : known.ifindex;
        identities.set(name, { ifindex, readAtMs: stale ? now : known.readAtMs, rxBytes: counters.rxBytes });
        // A new ifindex is a different interface under a reused name: start over.
        if (known && known.ifindex !== ifindex) {
          counterRates.forget(name);
          speeds.delete(name);
        }
        const before = counterRates.observe(name, counters, now);
        if (!before) return;
        const metrics = rates(before, counters, now, speedOf(host, name, now));
        if (!metrics) return;
        readings.push({ instance: name, metrics });
      });
      // Interfaces that vanished are forgotten here, so nothing about them lingers.
      counterRates.end();
      identities.forEach((_, name) => {
        if (!seen.has(name)) identities.delete(name);
      });
      speeds.forEach((_, name) => {
        if (!seen.has(name)) speeds.delete(name);
      });
      return readings;
    };
  },
  portable: async (options, si) => {
    const isWanted = createNameFilter(options.include, options.exclude);
    // systeminformation keeps its own previous counters: rx_sec is null on the first call, as our first run.
    return (await si.networkStats('*'))
      .filter((stats) => isWanted(stats.iface) && stats.rx_sec !== null && stats.tx_sec !== null)
      .map((stats) => ({
        instance: stats.iface,
        metrics: {
          rx_bytes_per_second: Math.max(0, stats.rx_sec ?? 0),
          tx_bytes_per_second: Math.max(0, stats.tx_sec ?? 0),
        },
      }));
  },
  summarize: ({ instance, metrics }) => {
    const errors = (metrics.rx_errors_per_second ?? 0) + (metrics.tx_errors_per_second ?? 0);
    const drops = (metrics.rx_dropped_per_second ?? 0) + (metrics.tx_dropped_per_second ?? 0);
    const utilization =
      metrics.utilization_percent === undefined ? '' : ` (${metrics.utilization_percent.toFixed(1)}% of link)`;
    return `${instance ?? ''}: rx ${formatRate(metrics.rx_bytes_per_second ?? 0)} tx ${formatRate(metrics.tx_bytes_per_second ?? 0)}${utilization}, ${errors.toFixed(1)} err/s, ${drops.toFixed(1)} drop/s`;
  },
});

function rates(
  before: Sampled<InterfaceCounters>,
  counters: InterfaceCounters,
  now: number,
  speed: number | undefined,
): Record<string, number> | undefined {
  const seconds = (now - before.atMs) / 1000;
  if (seconds <= 0) return undefined;
  const metrics: Record<string, number> = {};
  // An index loop: without the optimizing compiler, for…of allocates a result object per step.
  for (let index = 0; index < RATE_FIELDS.length; index += 1) {
    const { metric, counter } = RATE_FIELDS[index] as (typeof RATE_FIELDS)[number];
    const delta = counters[counter] - before.counters[counter];
    // A counter that went backwards is a reset (driver reload, link flap): no rate until the next interval.
    if (delta < 0) return undefined;
    metrics[metric] = delta / seconds;
  }
  const cap = speed === undefined ? UNKNOWN_SPEED_CAP_BYTES : speed * ABSURD_RATE_FACTOR;
  if ((metrics.rx_bytes_per_second ?? 0) > cap || (metrics.tx_bytes_per_second ?? 0) > cap) return undefined;
  if (speed !== undefined) {
    metrics.utilization_percent =
      (Math.max(metrics.rx_bytes_per_second ?? 0, metrics.tx_bytes_per_second ?? 0) / speed) * 100;
  }
  return metrics;
}
