import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, UsageError } from '../errors.ts';
import { loadConfig, MAX_CONFIG_BYTES } from './load.ts';
import { validateConfig } from './validate.ts';

const REPO = join(import.meta.dirname, '..', '..');
const sandbox = () => mkdtempSync(join(tmpdir(), 'argus-config-'));
const isolatedEnv = (dir: string): NodeJS.ProcessEnv => ({ HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') });

async function problemsOf(text: string, name = 'config.yaml', env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const dir = sandbox();
  const path = join(dir, name);
  writeFileSync(path, text);
  try {
    await loadConfig({ flagPath: path, env: { ...isolatedEnv(dir), ...env }, cwd: dir });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return [error.message, ...error.issues];
  }
  return [];
}

test('loadConfig() accepts every config file shipped in config/', async () => {
  const shipped = readdirSync(join(REPO, 'config')).map((file) => `config/${file}`);
  assert.ok(shipped.length >= 3);
  for (const file of shipped) {
    const loaded = await loadConfig({ flagPath: file, env: isolatedEnv(sandbox()), cwd: REPO });
    assert.equal(loaded.location.origin, 'flag');
    assert.match(loaded.sha256 ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(loaded.warnings, [], file);
  }
});

test('loadConfig() finds the config: flag, ARGUS_CONFIG_PATH, ./config, XDG, then defaults', async () => {
  const dir = sandbox();
  const env = isolatedEnv(dir);
  assert.equal((await loadConfig({ env, cwd: dir })).location.origin, 'defaults');
  mkdirSync(join(dir, 'xdg', 'argus'), { recursive: true });
  writeFileSync(join(dir, 'xdg', 'argus', 'config.yaml'), 'poll_interval: 11\n');
  assert.equal((await loadConfig({ env, cwd: dir })).config.poll_interval, 11);
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'config.yaml'), 'poll_interval: 12\n');
  assert.equal((await loadConfig({ env, cwd: dir })).location.origin, 'cwd');
  writeFileSync(join(dir, 'env.json'), '{"poll_interval": 13}');
  const fromEnv = await loadConfig({ env: { ...env, ARGUS_CONFIG_PATH: 'env.json' }, cwd: dir });
  assert.equal(fromEnv.config.poll_interval, 13);
  const fromFlag = await loadConfig({
    flagPath: 'config/config.yaml',
    env: { ...env, ARGUS_CONFIG_PATH: 'env.json' },
    cwd: dir,
  });
  assert.equal(fromFlag.config.poll_interval, 12);
});

test('loadConfig() layers ARGUS_* environment over the file and flags over both', async () => {
  const dir = sandbox();
  writeFileSync(join(dir, 'c.yaml'), 'poll_interval: 30\noutput_format: table\n');
  const env = {
    ...isolatedEnv(dir),
    ARGUS_POLL_INTERVAL: '15',
    ARGUS_ENABLED_CHECKS: 'cpu, ram',
    ARGUS_OUTPUT_FORMAT: 'json',
    ARGUS_THRESHOLDS: '{"cpu":{"warn":50}}',
    ARGUS_AUDIT_LOG: 'false',
    ARGUS_POL_INTERVAL: '1',
  };
  const loaded = await loadConfig({
    flagPath: join(dir, 'c.yaml'),
    env,
    cwd: dir,
    flags: { output_format: { value: 'table', flag: '--output' } },
  });
  assert.equal(loaded.config.poll_interval, 15);
  assert.deepEqual(loaded.config.enabled_checks, ['cpu', 'ram']);
  assert.equal(loaded.config.output_format, 'table');
  assert.deepEqual(loaded.config.thresholds.cpu, { warn: 50 });
  assert.equal(loaded.config.audit_log, false);
  assert.deepEqual(loaded.warnings, [
    'environment ARGUS_POL_INTERVAL is not a setting and is ignored; did you mean "ARGUS_POLL_INTERVAL"?',
  ]);
});

test('loadConfig() names the environment variable or flag that holds a bad value', async () => {
  const problems = await problemsOf('poll_interval: 5\n', 'c.yaml', {
    ARGUS_LOG_LEVEL: 'chatty',
    ARGUS_CHECKS: '{"__proto__": {}}',
  });
  assert.ok(
    problems.some((line) => line.startsWith('environment ARGUS_LOG_LEVEL: log_level: must be one of')),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((line) => line === 'environment ARGUS_CHECKS: checks: key "__proto__" is not allowed'),
    problems.join('\n'),
  );
  const dir = sandbox();
  await assert.rejects(
    loadConfig({ env: isolatedEnv(dir), cwd: dir, flags: { poll_interval: { value: -1, flag: '--interval' } } }),
    // A bad value given on the command line is a usage error (64), not a configuration error (78).
    (error: Error) =>
      error instanceof UsageError && error.message.startsWith('option --interval: poll_interval: must be'),
  );
});

test('loadConfig() reports every problem with file:line:col and the dot path, in file order', async () => {
  const problems = await problemsOf(
    'enabled_checks: [cpu, dsik]\npoll_intervall: 10\nchecks:\n  disk:\n    mount_timeout: forever\n',
  );
  assert.match(problems[0] ?? '', /^Invalid configuration in ".*config\.yaml": 3 problems$/);
  assert.match(problems[1] ?? '', /config\.yaml:1:23: enabled_checks\[1\]: must be one of .*did you mean "disk"\?$/);
  assert.match(
    problems[2] ?? '',
    /config\.yaml:2:1: poll_intervall: unknown key "poll_intervall"; did you mean "poll_interval"\?$/,
  );
  assert.match(problems[3] ?? '', /config\.yaml:5:20: checks\.disk\.mount_timeout: must be/);
});

test('loadConfig() refuses __proto__ keys and still validates the rest of the file', async () => {
  const problems = await problemsOf('checks:\n  __proto__: { polluted: true }\noutput_format: xml\n');
  assert.ok(
    problems.some((line) => /config\.yaml:2:3: key "__proto__" is not allowed$/.test(line)),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((line) => /config\.yaml:3:16: output_format: must be "table" or "json"$/.test(line)),
    problems.join('\n'),
  );
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const json = await problemsOf('{"constructor": {"prototype": {"x": 1}}}', 'c.json');
  assert.ok(
    json.some((line) => line.includes('key "constructor" is not allowed')),
    json.join('\n'),
  );
});

test('loadConfig() refuses a YAML alias bomb quickly', async () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let level = 1; level < 9; level += 1) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`);
  }
  const started = performance.now();
  const problems = await problemsOf(`${levels.join('\n')}\n`);
  assert.ok(
    problems.some((line) => /refused: Excessive alias count/.test(line)),
    problems.join('\n'),
  );
  assert.ok(performance.now() - started < 5000);
});

const unknownKeys = (count: number): string => Array.from({ length: count }, (_, index) => `k${index}: 1`).join('\n');
const aliasesInAMap = (count: number): string =>
  `base: &a {x: 1}\nm:\n${Array.from({ length: count }, (_, index) => `  k${index}: *a`).join('\n')}\n`;

/** The fastest of three runs: the least disturbed by whatever else the machine does. */
async function fastest(text: string): Promise<{ ms: number; problems: string[] }> {
  let best = { ms: Infinity, problems: [] as string[] };
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    const problems = await problemsOf(text);
    const ms = performance.now() - started;
    if (ms < best.ms) best = { ms, problems };
  }
  return best;
}

// The attack battery: 2,000 unknown keys took 0.35 s and 20,000 took 15 s; 50,000 aliases in a block map 14 s
// before being refused. Ten times the input must cost about ten times as much: the bound is the ratio of two
// runs of this test itself (quadratic work gave ~43), so the machine's speed and load cancel out.
test('loadConfig() judges a file in time linear in its size: unknown keys, duplicates and aliases', async () => {
  const small = await fastest(unknownKeys(2_000));
  const large = await fastest(unknownKeys(20_000));
  assert.equal(large.problems.length, 20_001);
  assert.match(large.problems.at(-1) ?? '', /config\.yaml:20000:1: k19999: unknown key "k19999"/);
  assert.ok(large.ms / small.ms < 25, `20,000 keys took ${(large.ms / small.ms).toFixed(1)}x as long as 2,000`);

  const duplicated = await problemsOf(`${unknownKeys(20_000)}\nk7: 2\n`);
  assert.equal(duplicated.length, 2, 'only the duplicate: a file with a duplicate key is not validated further');
  assert.match(duplicated[1] ?? '', /config\.yaml:20001:1: Map keys must be unique$/);

  const fewAliases = await fastest(aliasesInAMap(5_000));
  const manyAliases = await fastest(aliasesInAMap(50_000));
  assert.match(manyAliases.problems.join('\n'), /refused: Excessive alias count/);
  assert.ok(
    manyAliases.ms / fewAliases.ms < 25,
    `50,000 aliases took ${(manyAliases.ms / fewAliases.ms).toFixed(1)}x as long as 5,000`,
  );
});

test('loadConfig() refuses files over 1 MiB, missing files, directories and broken syntax', async () => {
  const big = await problemsOf(`# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
  assert.match(big[0] ?? '', /over the 1 MiB limit$/);
  const dir = sandbox();
  await assert.rejects(
    loadConfig({ flagPath: join(dir, 'nope.yaml'), env: {}, cwd: dir }),
    /Cannot read config file ".*nope\.yaml": no such file$/,
  );
  await assert.rejects(loadConfig({ flagPath: dir, env: {}, cwd: dir }), /not a regular file$/);
  const broken = await problemsOf('poll_interval: [1, 2\n');
  assert.ok(
    broken.some((line) => /config\.yaml:\d+:\d+: /.test(line)),
    broken.join('\n'),
  );
  const duplicate = await problemsOf('poll_interval: 1\npoll_interval: 2\n');
  assert.ok(
    duplicate.some((line) => /Map keys must be unique/.test(line)),
    duplicate.join('\n'),
  );
  const scalar = await problemsOf('just a string\n');
  assert.ok(
    scalar.some((line) => line.endsWith('(root): must be a mapping of keys to values')),
    scalar.join('\n'),
  );
});

test('loadConfig() treats an empty file as all defaults', async () => {
  assert.deepEqual(await problemsOf(''), []);
  assert.deepEqual(await problemsOf('# only a comment\n'), []);
});

test('loadConfig() reuses the parsed value of an unchanged file and drops it when the file changes', async () => {
  const dir = sandbox();
  const cacheDir = join(dir, 'cache');
  mkdirSync(cacheDir, { mode: 0o700 });
  const key = Symbol.for('argus.cacheDir');
  (globalThis as Record<symbol, unknown>)[key] = cacheDir;
  try {
    const path = join(dir, 'c.yaml');
    writeFileSync(path, 'poll_interval: 30\n');
    const first = await loadConfig({ flagPath: path, env: isolatedEnv(dir), cwd: dir });
    const [entryName] = readdirSync(cacheDir);
    assert.ok(entryName, 'a cache entry was written');
    const entryPath = join(cacheDir, entryName);
    const entry = JSON.parse(readFileSync(entryPath, 'utf8')) as { value: { poll_interval: number }; sha256: string };
    assert.equal(entry.sha256, first.sha256);
    entry.value.poll_interval = 31;
    writeFileSync(entryPath, JSON.stringify(entry));
    assert.equal(
      (await loadConfig({ flagPath: path, env: isolatedEnv(dir), cwd: dir })).config.poll_interval,
      31,
      'the cached value is used',
    );
    writeFileSync(
      entryPath,
      JSON.stringify({ ...entry, value: { poll_interval: 'x', __proto__: 1 } }).replace(
        '"poll_interval":"x"',
        '"poll_interval":"x","__proto__":{"a":1}',
      ),
    );
    assert.equal(
      (await loadConfig({ flagPath: path, env: isolatedEnv(dir), cwd: dir })).config.poll_interval,
      30,
      'a cache entry with forbidden keys is ignored',
    );
    entry.value.poll_interval = -1;
    writeFileSync(entryPath, JSON.stringify(entry));
    await assert.rejects(loadConfig({ flagPath: path, env: isolatedEnv(dir), cwd: dir }), (error: ConfigError) =>
      /c\.yaml:1:16: poll_interval: must be/.test(error.issues[0] ?? ''),
    );
    writeFileSync(path, 'poll_interval: 45\n# changed\n');
    assert.equal(
      (await loadConfig({ flagPath: path, env: isolatedEnv(dir), cwd: dir })).config.poll_interval,
      45,
      'a changed file is parsed again',
    );
  } finally {
    delete (globalThis as Record<symbol, unknown>)[key];
  }
});

test('loadConfig() takes the exporters section from ARGUS_EXPORTERS as JSON, as node_exporter takes flags', async () => {
  const dir = sandbox();
  const env = { ...isolatedEnv(dir), ARGUS_EXPORTERS: '{"disabled":["hwmon"],"netdev":{"device_exclude":"^veth"}}' };
  const loaded = await loadConfig({ env, cwd: dir });
  const exporters = loaded.config.exporters as { disabled: string[]; netdev: { device_exclude?: string } };
  assert.deepEqual(exporters.disabled, ['hwmon']);
  assert.equal(exporters.netdev.device_exclude, '^veth');
});

test('config/config.yaml holds exactly the built-in defaults: a run inside the clone behaves as one elsewhere', async () => {
  const fromFile = await loadConfig({
    flagPath: join(import.meta.dirname, '..', '..', 'config', 'config.yaml'),
    env: {},
    cwd: tmpdir(),
  });
  const defaults = validateConfig({});
  assert.ok(defaults.ok);
  assert.deepEqual(fromFile.config, defaults.config);
});
