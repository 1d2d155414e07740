import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isolatedEnv, startCli } from '../helpers/cli.ts';
import { startReceiver } from '../helpers/loopback-receiver.ts';
import { createTestPki } from '../helpers/test-ca.ts';

test('the status loop delivers a firing alert to a webhook over verified TLS', async () => {
  const pki = createTestPki();
  const server = await startReceiver({ pki });
  try {
    const env = isolatedEnv();
    const config = join(env.HOME ?? '', 'argus.yaml');
    writeFileSync(
      config,
      [
        'enabled_checks: [ram]',
        'poll_interval: 0.2',
        'output_format: json',
        'thresholds:',
        '  ram: { crit: "@0:100" }',
        'alerts:',
        '  for_cycles: 2',
        '  notify:',
        `    - { type: webhook, name: ops, url: "${server.url}/argus", ca_file: ${pki.caFile}, secret: "0123456789abcdef" }`,
        '',
      ].join('\n'),
    );
    const cli = startCli(['status', '-c', config], { env });
    for (let tries = 0; tries < 250 && server.received.length === 0; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    cli.child.kill('SIGTERM');
    const run = await cli.finished;
    assert.equal(run.code, 0, run.stderr);
    const [request] = server.received;
    const body = JSON.parse(request?.body ?? '{}') as {
      kind: string;
      alert: string;
      status: string;
      host: string;
      version: number;
    };
    assert.deepEqual([body.version, body.kind, body.alert, body.status], [1, 'firing', 'ram', 'CRIT']);
    assert.match(String(request?.headers['x-argus-signature']), /^sha256=[0-9a-f]{64}$/);
  } finally {
    await server.close();
  }
});

test('a reload moves alert notifications to the newly configured notifier', async () => {
  const pki = createTestPki();
  const [first, second] = [await startReceiver({ pki }), await startReceiver({ pki })];
  try {
    const env = isolatedEnv();
    const config = join(env.HOME ?? '', 'argus.yaml');
    const write = (url: string) =>
      writeFileSync(
        config,
        `enabled_checks: [ram]\npoll_interval: 0.2\noutput_format: json\nthresholds:\n  ram: { crit: "@0:100" }\nalerts:\n  for_cycles: 1\n  repeat_interval: 0.5\n  notify:\n    - { type: webhook, name: ops, url: "${url}/argus", ca_file: ${pki.caFile} }\n`,
      );
    write(first.url);
    const cli = startCli(['status', '-c', config], { env });
    const until = async (done: () => boolean) => {
      for (let tries = 0; tries < 250 && !done(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await until(() => first.received.length > 0);
    write(second.url);
    cli.child.kill('SIGHUP');
    await until(() => second.received.length > 0);
    cli.child.kill('SIGTERM');
    assert.equal((await cli.finished).code, 0);
    assert.equal((JSON.parse(second.received[0]?.body ?? '{}') as { kind: string }).kind, 'repeat');
  } finally {
    await Promise.all([first.close(), second.close()]);
  }
});
