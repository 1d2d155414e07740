import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startReceiver } from '../../../test/helpers/loopback-receiver.ts';
import { createTestIo } from '../../../test/helpers/test-io.ts';
import { allowedHostsOf, runAgent } from './agent-action.ts';

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    assert.ok(Date.now() - started < 15_000, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('runAgent() serves each cycle, swaps access rules on SIGHUP and stops on SIGTERM', async () => {
  const io = createTestIo();
  const file = join(io.env.HOME ?? '', 'agent.json');
  const influx = await startReceiver({ answers: [] });
  const write = (server: Record<string, unknown>) =>
    writeFileSync(
      file,
      JSON.stringify({
        poll_interval: 0.2,
        enabled_checks: ['ram', 'cpu'],
        server: { listen: '127.0.0.1:0', ...server },
        sinks: [{ type: 'influxdb', name: 'influx', url: influx.url, database: 'argus' }],
      }),
    );
  write({});
  const running = runAgent(io, { config: file, history: false });
  const url = await until(() => /listening url=(\S+)/.exec(io.err.join(''))?.[1], 'the listener');
  const metrics = await until(async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return text.includes('argus_check_status{check="ram"}') ? text : undefined;
  }, 'a cycle');
  assert.match(metrics, /^argus_last_cycle_timestamp_seconds \d+/m);
  assert.match(metrics, /^process_resident_memory_bytes \d+/m);
  assert.match(metrics, /^node_memory_MemAvailable_bytes \d+/m);
  // The sink's counters come with the cycles: points reach the receiver and /metrics says so.
  await until(async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const sent = /^argus_sink_points_sent_total\{sink="influx",type="influxdb"\} (\d+)$/m.exec(text)?.[1];
    return Number(sent) > 0 ? true : undefined;
  }, 'points sent to the sink');
  assert.ok(influx.received.length > 0);

  write({ auth: { bearer_tokens: ['a-token-of-sixteen-chars'] } });
  io.emit('SIGHUP');
  await until(async () => ((await fetch(`${url}/metrics`)).status === 401 ? true : undefined), 'auth after reload');
  const authorized = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer a-token-of-sixteen-chars' } });
  assert.equal(authorized.status, 200);
  assert.match(await authorized.text(), /^argus_config_last_reload_successful 1$/m);

  io.emit('SIGTERM');
  await running;
  await influx.close();
  await assert.rejects(fetch(`${url}/healthz`));
});

test('allowedHostsOf() accepts loopback names, this host, the bound address and the configured names', () => {
  const server = { allowed_hosts: ['Web1.Example.org'] } as Parameters<typeof allowedHostsOf>[0];
  const hosts = allowedHostsOf(server, { host: '10.0.0.5', port: 19100 });
  assert.ok(hosts?.has('localhost') && hosts.has('::1') && hosts.has('10.0.0.5') && hosts.has('web1.example.org'));
  assert.ok(!allowedHostsOf(server, { host: '0.0.0.0', port: 1 })?.has('0.0.0.0'));
  const any = { allowed_hosts: ['*'] } as Parameters<typeof allowedHostsOf>[0];
  assert.equal(allowedHostsOf(any, { host: '', port: 1 }), undefined);
});
