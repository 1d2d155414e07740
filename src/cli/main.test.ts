import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTestIo } from '../../test/helpers/test-io.ts';
import { parseChecksFlag } from './commands/status-action.ts';
import { EXIT, main } from './main.ts';

const REPO = join(import.meta.dirname, '..', '..');

test('main() prints help with examples for every command and exits 0', async () => {
  for (const command of ['status', 'checks', 'version', 'completion', 'config check', 'service install']) {
    const io = createTestIo();
    assert.equal(await main([...command.split(' '), '--help'], io), EXIT.ok, command);
    assert.match(io.out.join(''), /Usage: argus/, command);
    assert.match(io.out.join(''), /Examples:\n {2}\$ \S/, command);
  }
  const io = createTestIo();
  assert.equal(await main(['--help'], io), EXIT.ok);
  assert.match(
    io.out.join(''),
    /Exit codes: 0 ok, 64 usage error, 66 no history to report on, 69 a service unavailable \(a test notification not delivered, the agent's address taken\), 70 internal error \(a bug\), 73 cannot write an output file, 77 not permitted \(service install without root\), 78 configuration error/,
  );
});

test('main() exits 64 on usage errors with a suggestion', async () => {
  const cases: [string[], RegExp][] = [
    [['stauts'], /unknown command 'stauts'[\s\S]*Did you mean status\?/],
    [['status', '--bogus'], /unknown option '--bogus'/],
    [['status', '-o', 'xml'], /argument 'xml' is invalid. Allowed choices are table, json/],
    [['status', '--checks', 'cpu,dsik'], /Unknown check "dsik" in --checks; did you mean "disk"\?/],
    [['status', '--checks', ','], /needs at least one check name/],
    [['status', '-i', 'soon'], /Option --interval needs seconds/],
    // A bad option value is usage (64) like a bad option, not a configuration error (78).
    [['status', '--once', '-i', '0'], /option --interval: poll_interval: must be at least 100ms \(got 0\)/],
    [['status', '--once', '--log-level', 'verbose'], /option --log-level: log_level: must be one of DEBUG/],
    [['completion', 'tcsh'], /Allowed choices are bash, zsh, fish/],
    [[], /Usage: argus/],
  ];
  for (const [argv, pattern] of cases) {
    const io = createTestIo();
    assert.equal(await main(argv, io), EXIT.usage, argv.join(' '));
    assert.match(io.err.join(''), pattern, argv.join(' '));
  }
});

test('main() exits 78 on a bad config, lists every problem and writes the audit log', async () => {
  const io = createTestIo();
  const path = join(io.cwd, 'bad.yaml');
  writeFileSync(path, 'poll_interval: -5\nlog_levle: info\n');
  assert.equal(await main(['status', '--once', '-c', path], io), EXIT.config);
  const err = io.err.join('');
  assert.match(err, /^argus: Invalid configuration in ".*bad\.yaml": 2 problems\n/);
  assert.match(err, /bad\.yaml:1:16: poll_interval: must be/);
  assert.match(err, /bad\.yaml:2:1: log_levle: unknown key "log_levle"; did you mean "log_level"\?/);
  assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
  const audit = readFileSync(join(io.env.XDG_STATE_HOME ?? '', 'argus', 'audit.log'), 'utf8');
  assert.match(audit, /"event":"config_load","path":".*bad\.yaml","sha256":"[0-9a-f]{64}","ok":false,"problems":2/);
  const missing = createTestIo();
  assert.equal(await main(['checks', '-c', 'nope.yaml'], missing), EXIT.config);
  assert.match(missing.err.join(''), /Cannot read config file ".*nope\.yaml": no such file/);
});

test('main() prints the version as text and as JSON', async () => {
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  const io = createTestIo();
  assert.equal(await main(['version', '--json'], io), EXIT.ok);
  assert.deepEqual(JSON.parse(io.out.join('')), {
    version,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  });
  const text = createTestIo();
  await main(['version'], text);
  assert.equal(text.out.join(''), `argus ${version} (node ${process.version}, ${process.platform} ${process.arch})\n`);
  const flag = createTestIo();
  assert.equal(await main(['--version'], flag), EXIT.ok);
  assert.equal(flag.out.join(''), `${version}\n`);
});

test('argus checks lists every check with metrics, units and whether it is enabled', async () => {
  const io = createTestIo();
  const path = join(io.cwd, 'c.yaml');
  writeFileSync(path, 'enabled_checks: [ram, gpu]\n');
  assert.equal(await main(['checks', '-o', 'json', '-c', path], io), EXIT.ok);
  const rows = JSON.parse(io.out.join('')) as {
    name: string;
    enabled: boolean;
    metrics: { name: string; unit: string }[];
    categories: string[];
  }[];
  assert.deepEqual(
    rows.map((row) => row.name),
    ['cpu', 'ram', 'disk', 'network', 'gpu', 'temperature', 'procs', 'command'],
  );
  assert.deepEqual(
    rows.filter((row) => row.enabled).map((row) => row.name),
    ['ram', 'gpu'],
  );
  assert.deepEqual(rows.find((row) => row.name === 'ram')?.metrics[0], {
    name: 'used_percent',
    unit: 'percent',
    help: 'Memory not available to new work, as a share of the total',
  });
  const table = createTestIo();
  assert.equal(await main(['checks'], table), EXIT.ok);
  assert.match(table.out.join(''), /│ cpu +│ yes +│ system, cpu/);
  assert.match(table.out.join(''), /│ gpu +│ no /);
  // The table is as wide as the terminal at most (it was 86 columns on an 80-column terminal, and wrapped).
  for (const columns of [60, 80, 200]) {
    const narrow = Object.assign(createTestIo(), { columns });
    assert.equal(await main(['checks'], narrow), EXIT.ok);
    const lines = narrow.out.join('').trimEnd().split('\n');
    assert.ok(Math.max(...lines.map((line) => [...line].length)) <= columns, `fits ${columns} columns`);
  }
});

test('argus config check prints the effective config with secrets redacted', async () => {
  const io = createTestIo({ env: { ARGUS_POLL_INTERVAL: '7s', ARGUS_LOG_FILE: 'https://user:secret@logs.example/x' } });
  assert.equal(await main(['config', 'check', '-c', join(REPO, 'config', 'config.yaml')], io), EXIT.ok);
  assert.match(io.err.join(''), /^Config OK: ".*config\.yaml" sha256:[0-9a-f]{12}\n$/);
  const out = io.out.join('');
  assert.match(out, /^poll_interval: 7$/m);
  assert.match(out, /^log_file: https:\/\/\*\*\*@logs\.example\/x$/m);
  assert.doesNotMatch(out, /secret/);
  const withMail = createTestIo({
    env: {
      ARGUS_ALERTS:
        '{"notify":[{"type":"email","name":"m","host":"smtp.example.com","from":"a@example.com","to":["b@example.com"],"password":"hunter2hunter2"},{"type":"webhook","name":"w","url":"https://h.example/x","secret":"a-very-secret-value"}]}',
    },
  });
  assert.equal(await main(['config', 'check'], withMail), EXIT.ok);
  assert.doesNotMatch(withMail.out.join(''), /hunter2|a-very-secret-value/);
  assert.equal(withMail.out.join('').match(/"\*\*\*"/g)?.length, 2);
  const json = createTestIo();
  assert.equal(await main(['config', 'check', '-o', 'json'], json), EXIT.ok);
  assert.equal((JSON.parse(json.out.join('')) as { poll_interval: number }).poll_interval, 60);
  assert.match(json.err.join(''), /built-in defaults/);
});

test('argus status --once prints one JSON document for the chosen checks', async () => {
  const io = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
  assert.equal(
    await main(['status', '--once', '-o', 'json', '--checks', 'ram,cpu', '--log-level', 'error'], io),
    EXIT.ok,
  );
  const document = JSON.parse(io.out.join('')) as { results: { name: string; metrics: Record<string, number> }[] };
  assert.deepEqual(
    document.results.map((result) => result.name),
    ['ram', 'cpu'],
  );
  assert.ok((document.results[1]?.metrics.usage_percent ?? -1) >= 0, 'cpu got its two samples');
});

test('argus status loop runs cycles until SIGTERM and reloads on SIGHUP, keeping the old config when invalid', async () => {
  const io = createTestIo();
  const path = join(io.cwd, 'c.yaml');
  writeFileSync(path, 'enabled_checks: [ram]\npoll_interval: 0.1\noutput_format: json\nsample_window: 0.1\n');
  const run = main(['status', '-c', path], io);
  const documents = () =>
    io.out
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { results: { name: string }[] });
  const waitFor = async (predicate: () => boolean) => {
    for (let tries = 0; tries < 200 && !predicate(); tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(predicate());
  };
  await waitFor(() => documents().length >= 2);
  writeFileSync(path, 'enabled_checks: [ram, cpu]\npoll_interval: 0.1\noutput_format: json\n');
  io.emit('SIGHUP');
  await waitFor(() => (documents().at(-1)?.results.length ?? 0) === 2);
  writeFileSync(path, 'enabled_checks: [ram, cpu]\npoll_interval: nope\n');
  io.emit('SIGHUP');
  await waitFor(() => io.err.join('').includes('reload refused'));
  const before = documents().length;
  await waitFor(() => documents().length > before + 1);
  io.emit('SIGTERM');
  assert.equal(await run, EXIT.ok);
  assert.match(io.err.join(''), /reload refused, keeping the previous config: Invalid configuration/);
  assert.equal(documents().at(-1)?.results.length, 2, 'still running the last valid config');
});

test('main() turns an unexpected exception into exit 70 with "this is a bug" and the stack', async () => {
  const io = createTestIo();
  io.stdout = () => {
    throw new Error('stdout exploded');
  };
  assert.equal(await main(['version'], io), EXIT.internal);
  const err = io.err.join('');
  assert.match(
    err,
    /^argus: unexpected error; this is a bug, please report it with the text below\nError: stdout exploded\n\s+at /,
  );
  const audit = readFileSync(join(io.env.XDG_STATE_HOME ?? '', 'argus', 'audit.log'), 'utf8');
  assert.match(audit, /"event":"internal_error","message":"stdout exploded","stack":"Error: stdout exploded/);
});

test('argus check samples twice only for a rate it judges, and leaves no audit line unless audit_log asks', async () => {
  // A sample window no test waits out by accident: a run that primed would take it, and show the I/O rates.
  const io = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
  assert.equal(await main(['check', 'disk', '-w', '100', '-c', '100'], io), 0);
  const once = io.out.join('');
  assert.match(once, /^DISK OK - /);
  assert.doesNotMatch(once, /read_bytes_per_second|busy_percent|io r /, 'one read: no rates to show');
  assert.ok(!existsSync(join(io.env.XDG_STATE_HOME ?? '', 'argus', 'audit.log')), 'no audit line per run');

  const rate = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
  assert.equal(await main(['check', 'disk', '--metric', 'busy_percent', '-w', '100', '-c', '100'], rate), 0);
  // The judged metric leads the perfdata under the instance's name; the rates are there: it sampled twice.
  assert.match(rate.out.join(''), /\| '\/'=[\d.]+%;100;100;0;100 .*'\/ read_bytes_per_second'=/, 'a judged rate');

  const audited = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
  const path = join(audited.env.HOME ?? '', 'audit.log');
  audited.env.ARGUS_AUDIT_LOG = path;
  assert.equal(await main(['check', 'disk', '-w', '100', '-c', '100'], audited), 0);
  assert.match(readFileSync(path, 'utf8'), /"event":"config_load"/, 'audit_log set explicitly: audited');
});

test('argus check: per-core perfdata carries its %, a warning past the critical level is pointed out', async () => {
  const io = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
  // The machine's cores, whatever container this test runs in (a CPU quota would report the quota instead).
  const hostScope = join(io.env.HOME ?? '', 'host-scope.yaml');
  writeFileSync(hostScope, 'checks: { cpu: { scope: host } }\n');
  assert.equal(await main(['check', 'cpu', '-w', '100', '-c', '100', '--config', hostScope], io), 0);
  assert.match(io.out.join(''), /'core0_usage_percent'=[\d.]+%;;;0;100/, 'core<N>_usage_percent is a percentage too');
  const crossed = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
  await main(['check', 'disk', '-w', '90', '-c', '80'], crossed);
  assert.match(
    crossed.err.join(''),
    /-w 90 is past -c 80: CRITICAL comes first, so WARNING never shows \(meant -w 80 -c 90\?\)/,
  );
  const fine = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
  await main(['check', 'disk', '-w', '80', '-c', '90'], fine);
  assert.equal(fine.err.join(''), '');
});

test('--checks names a check once however often it is written', () => {
  assert.deepEqual(parseChecksFlag('cpu,ram,cpu, ram', ['cpu', 'ram', 'disk']), ['cpu', 'ram']);
});

test('argus check follows the plugin guidelines: exit 0-3, UNKNOWN for bad arguments, --help and --version', async () => {
  const run = async (argv: string[]) => {
    const io = createTestIo({ env: { ARGUS_SAMPLE_WINDOW: '0.1' } });
    const code = await main(argv, io);
    return { code, out: io.out.join('') };
  };
  const ok = await run(['check', 'ram', '-w', '100', '-c', '100']);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /^RAM OK - [\d.]+% used, .* \| 'used_percent'=[\d.]+%;100;100;0;100 /);
  assert.equal((await run(['check', 'ram', '-w', '200:'])).code, 1);
  const critical = await run(['check', 'ram', '-w', '200:', '-c', '@0:100']);
  assert.equal(critical.code, 2);
  assert.match(critical.out, /^RAM CRITICAL - .*\[CRIT used_percent=[\d.]+ \(inside 0:100\)\]/);
  assert.deepEqual(await run(['check', 'dsik']), {
    code: 3,
    out: 'ARGUS UNKNOWN - unknown check "dsik"; did you mean "disk"? (known: cpu, ram, disk, network, gpu, temperature, procs, command)\n',
  });
  assert.match((await run(['check', 'ram', '-c', '9:1'])).out, /^ARGUS UNKNOWN - -c Range format incorrect/);
  assert.match(
    (await run(['check', 'ram', '--metric', 'nope'])).out,
    /^ARGUS UNKNOWN - check "ram" has no metric "nope"/,
  );
  assert.match((await run(['check', 'ram', '-t', 'x'])).out, /^ARGUS UNKNOWN - -t needs a number of seconds/);
  assert.match(
    (await run(['check', 'ram', '--instance', 'x'])).out,
    /^ARGUS UNKNOWN - no instance "x" in check "ram"$/m,
  );
  assert.equal((await run(['check', '--help'])).code, 3);
  assert.equal((await run(['check', 'ram', '--bogus'])).code, 3);
  const version = await run(['check', 'ram', '--version']);
  assert.equal(version.code, 3);
  assert.match(version.out, /\d+\.\d+\.\d+/);
});

test('argus check reports a config error as UNKNOWN with its problems', async () => {
  const io = createTestIo();
  const path = join(io.cwd, 'bad.yaml');
  writeFileSync(path, 'poll_interval: never\n');
  assert.equal(await main(['check', 'ram', '--config', path], io), 3);
  assert.match(
    io.out.join(''),
    /^ARGUS UNKNOWN - Invalid configuration in ".*bad\.yaml": 1 problem\n.*bad\.yaml:1:16: poll_interval: must be/,
  );
});
