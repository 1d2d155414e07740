import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureHost } from '../../test/helpers/fixture-host.ts';
import { validateConfig } from '../config/validate.ts';
import { bindExporters, EXPORTER_NAMES } from './registry.ts';

const context = { host: fixtureHost('sensors', 0), probeMount: () => Promise.resolve('no probe in tests') };

test('bindExporters() runs every default collector, less the disabled ones', () => {
  assert.deepEqual(Object.keys(bindExporters()).sort(), EXPORTER_NAMES);
  const bound = bindExporters({ disabled: ['hwmon', 'netstat'] });
  assert.equal(bound.hwmon, undefined);
  assert.equal(bound.netstat, undefined);
  assert.equal(Object.keys(bound).length, EXPORTER_NAMES.length - 2);
});

test("an exporter's options reach it: hwmon's chip_exclude drops the chips it names", async () => {
  const chips = async (settings: Parameters<typeof bindExporters>[0]) => {
    const samples = await bindExporters(settings).hwmon?.collect(context);
    return [...new Set((samples ?? []).map((sample) => sample.labels?.chip))].sort();
  };
  assert.deepEqual(await chips({}), ['nvme', 'platform_coretemp_0', 'thermal_thermal_zone0']);
  // Unanchored, as node_exporter's flags: "coretemp" matches platform_coretemp_0.
  assert.deepEqual(await chips({ hwmon: { chip_exclude: 'coretemp|nvme' } }), ['thermal_thermal_zone0']);
  assert.deepEqual(await chips({ hwmon: { chip_include: '^nvme$' } }), ['nvme']);
});

test('the config refuses an unknown collector and a regular expression that does not compile, naming the key', () => {
  const result = validateConfig({ exporters: { disabled: ['hwmom'], hwmon: { chip_include: '(coretemp' } } });
  assert.equal(result.ok, false);
  const issues = result.ok ? [] : result.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  assert.ok(
    issues.some((line) => line.startsWith('exporters.disabled.0: must be one of: arp, conntrack, cpu')),
    issues.join('\n'),
  );
  assert.ok(
    issues.some((line) =>
      /^exporters\.hwmon\.chip_include: is not a valid regular expression: .*(unterminated|group)/i.test(line),
    ),
    issues.join('\n'),
  );
});

test('the config fills in node_exporter defaults for each collector that has options', () => {
  const result = validateConfig({});
  assert.ok(result.ok);
  const exporters = result.config.exporters as Record<string, Record<string, unknown>>;
  assert.deepEqual(exporters.disabled, []);
  assert.equal(exporters.vmstat?.fields, '^(oom_kill|pgpg|pswp|pg.*fault).*');
  assert.equal(exporters.hwmon?.chip_include, undefined);
});

test("filesystem's mount and type filters are node_exporter's, defaults included", async () => {
  const host = fixtureHost('vm-basic', 0);
  const probe = { host, probeMount: () => Promise.resolve('no probe in tests') };
  const types = async (settings: Parameters<typeof bindExporters>[0]) =>
    [
      ...new Set(((await bindExporters(settings).filesystem?.collect(probe)) ?? []).map((s) => s.labels?.fstype)),
    ].sort();
  const defaults = await types({});
  assert.ok(!defaults.includes('proc') && !defaults.includes('sysfs'), defaults.join(','));
  assert.deepEqual(await types({ filesystem: { fs_types_include: '^ext4$' } }), ['ext4']);
  assert.deepEqual(await types({ filesystem: { mount_points_exclude: '.' } }), []);
});
