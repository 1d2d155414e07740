import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createHost } from '../../src/collect/host.ts';
import { bindExporters } from '../../src/exporters/registry.ts';
import { isolatedEnv, startCli } from '../helpers/cli.ts';
import { parseExposition, type ParsedFamily } from '../helpers/exposition-text.ts';
import { FIXTURES } from '../helpers/fixture-host.ts';
import { freePort } from '../helpers/loopback-receiver.ts';

const TREE = join(FIXTURES, 'node-exporter');

/**
 * node_exporter's own end-to-end run (end-to-end-test.sh) leaves these out of its comparison: values of the
 * machine it runs on, not of the fixture tree.
 */
const NOT_COMPARED =
  /^(node_disk_info$|go_|node_exporter_build_info|node_scrape_collector_duration_seconds|process_|node_textfile_mtime_seconds|node_time_(zone|seconds)|node_network_(receive|transmit)_(bytes|packets)_total)/;

/**
 * Argus' deliberate differences on this tree, each with its reason (the README lists them too):
 * - filesystem: node_exporter's e2e output has none (statfs needs real mounts), so it is not run here;
 * - netdev: node_exporter reads interface counters over netlink by default, so its e2e output holds the loopback
 *   device of the machine that ran it, not /proc/net/dev of the tree (which has none). Argus reads /proc/net/dev,
 *   as node_exporter does with --no-collector.netdev.netlink; its series are compared in exporters' unit tests;
 * - uname: node_exporter's e2e run leaves it out (the kernel of the machine running the test);
 * - timex: a system call about the clock of the machine running the test, not a file of the tree; timex.test.ts
 *   compares it with node_exporter running beside Argus;
 * - os: its os-release fixture is not in the reference copy (os.test.ts holds Argus to its e2e lines);
 * - node_disk_info: its labels come from udev's database, whose fixture (collector/fixtures/udev) the reference
 *   copy does not hold; Argus reads it from <rootfs>/run/udev/data as node_exporter does.
 * And node_exporter's e2e flags, where Argus has the collector: --collector.hwmon.chip-include,
 * --collector.netclass.ignored-devices and --collector.netclass.ignore-invalid-speed as below, and the
 * "nope" device of proc/net/arp excluded, as node_exporter's output shows its run did.
 */
const config = (port: number) => ({
  enabled_checks: ['ram'],
  host: { procfs: join(TREE, 'proc'), sysfs: join(TREE, 'sys') },
  server: { listen: `127.0.0.1:${port}` },
  exporters: {
    disabled: ['filesystem', 'netdev', 'os', 'timex', 'uname'],
    arp: { device_exclude: 'nope' },
    netclass: { ignored_devices: '(dmz|int)', ignore_invalid_speed: true },
    hwmon: { chip_include: '(applesmc|asus_nb_wmi|coretemp|hwmon4|ieee80211|nct6779)' },
  },
});

function differences(name: string, ours: ParsedFamily, theirs: ParsedFamily | undefined): string[] {
  if (!theirs) return [`${name}: not in node_exporter's output`];
  const found: string[] = [];
  if (ours.type !== theirs.type) found.push(`${name}: type ${ours.type} against ${theirs.type}`);
  if (ours.help !== theirs.help) found.push(`${name}: help "${ours.help}" against "${theirs.help}"`);
  for (const [labels, value] of ours.series) {
    const expected = theirs.series.get(labels);
    if (expected === undefined) found.push(`${name}${labels}: not in node_exporter's output`);
    else if (!Object.is(expected, value)) found.push(`${name}${labels}: ${value} against ${expected}`);
  }
  // Success per collector is compared for the collectors Argus runs; node_exporter runs some 60 more.
  if (name !== 'node_scrape_collector_success')
    for (const labels of theirs.series.keys())
      if (!ours.series.has(labels)) found.push(`${name}${labels}: missing (node_exporter has it)`);
  return found;
}

test("the agent pointed at node_exporter's fixture tree prints its series with its values, family for family", async () => {
  const env = isolatedEnv();
  const port = await freePort();
  const path = join(env.HOME ?? '', 'argus.json');
  writeFileSync(path, JSON.stringify(config(port)));
  const cli = startCli(['agent', '--no-history', '-c', path], { env });
  try {
    let text = '';
    for (let tries = 0; tries < 300 && !text.includes('node_load1 '); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
        (answer) => answer.text(),
        () => '',
      );
    }
    const ours = parseExposition(text);
    const theirs = parseExposition(readFileSync(join(TREE, 'e2e-output.txt'), 'utf8'));
    const compared = [...ours].filter(([name]) => name.startsWith('node_') && !NOT_COMPARED.test(name));
    assert.deepEqual(
      compared.flatMap(([name, family]) => differences(name, family, theirs.get(name))),
      [],
      'every node_* family Argus prints is node_exporter’s, series for series',
    );
    // What the comparison covered, so that a collector that silently prints nothing cannot pass it.
    const families = compared.map(([name]) => name);
    for (const expected of [
      'node_cpu_seconds_total',
      'node_disk_io_time_seconds_total',
      'node_hwmon_fan_rpm',
      'node_netstat_Tcp_InSegs',
      'node_network_up',
      'node_pressure_io_stalled_seconds_total',
      'node_cpu_scaling_governor',
      'node_cpu_core_throttles_total',
    ])
      assert.ok(families.includes(expected), `${expected} was compared`);
    assert.ok(families.length >= 240, `${families.length} families compared (248 when this was written)`);
  } finally {
    cli.child.kill('SIGTERM');
    assert.equal((await cli.finished).code, 0);
  }
});

test("netdev's families have node_exporter's names, types and help texts (its values there are another machine's)", async () => {
  const host = createHost({ procRoot: join(FIXTURES, 'hosts', 'vm-basic', 'proc0'), sysRoot: join(TREE, 'sys') });
  const samples = (await bindExporters().netdev?.collect({ host, probeMount: () => Promise.resolve('') })) ?? [];
  const theirs = parseExposition(readFileSync(join(TREE, 'e2e-output.txt'), 'utf8'));
  const families = new Map(samples.map((sample) => [sample.family.name, sample.family]));
  assert.equal(families.size, 16, 'all 16 columns of /proc/net/dev (the tree has no statistics/rx_nohandler)');
  for (const [name, family] of families) {
    assert.equal(family.type, theirs.get(name)?.type, name);
    assert.equal(family.help, theirs.get(name)?.help, name);
  }
});
