import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isolatedEnv, REPO, runCli } from '../helpers/cli.ts';

test(
  'npm pack yields a package that, installed globally into a temp prefix, gives a working argus',
  // Installing compiles better-sqlite3 from source where no prebuilt binary can be downloaded (minutes on 2 cores).
  { timeout: 900_000 },
  async () => {
    const work = mkdtempSync(join(tmpdir(), 'argus-pack-'));
    const npm = (args: string[], cwd: string) => {
      const result = spawnSync('npm', args, {
        cwd,
        encoding: 'utf8',
        env: {
          ...process.env,
          npm_config_update_notifier: 'false',
          npm_config_fund: 'false',
          npm_config_audit: 'false',
        },
      });
      assert.equal(result.status, 0, `npm ${args.join(' ')}: ${result.stderr}`);
      return result;
    };
    // The package as release.yml publishes it: staged by scripts/package.mjs (dist/ as the test command built it).
    const stage = join(work, 'stage');
    const staged = spawnSync(process.execPath, [join(REPO, 'scripts', 'package.mjs'), '--out', stage], {
      encoding: 'utf8',
    });
    assert.equal(staged.status, 0, staged.stderr);
    npm(['pack', stage, '--pack-destination', work, '--silent'], work);
    const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
    assert.ok(tarball);
    const listing = spawnSync('tar', ['-tzf', join(work, tarball)], { encoding: 'utf8' }).stdout;
    assert.match(listing, /package\/bin\/argus\.cjs/);
    assert.match(listing, /package\/dist\/argus\.cjs/);
    assert.match(listing, /package\/dist\/bcrypt-worker\.cjs/);
    assert.match(listing, /package\/dist\/web\/report\.js/, 'the browser scripts, uPlot bundled in');
    assert.match(listing, /package\/dist\/web\/dashboard\.js/);
    assert.match(listing, /package\/contrib\/systemd\/argus-agent\.service/, 'the unit `argus service` writes');
    assert.doesNotMatch(listing, /package\/(src|test|node_modules)\//);
    const prefix = join(work, 'prefix');
    const installed = npm(['install', '--global', '--prefix', prefix, '--omit=optional', join(work, tarball)], work);
    // npm 11 lists packages whose install scripts it has not been told to allow: Argus has none of its own (its
    // `prepare` is for a clone: husky and the build), only its SQLite dependency.
    assert.doesNotMatch(installed.stderr, /argus-monitor@[\d.]+ \(/, installed.stderr);
    const argus = join(prefix, 'bin', 'argus');
    const version = await runCli(['version', '--json'], { command: [argus] });
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /"version":"\d+\.\d+\.\d+"/);
    const env = isolatedEnv();
    const status = await runCli(['status', '--once', '--history', '-o', 'json', '--checks', 'ram,disk'], {
      command: [argus],
      env,
    });
    assert.equal(status.code, 0, status.stderr);
    assert.ok((JSON.parse(status.stdout) as { results: unknown[] }).results.length >= 2);
    // The installed package has its native SQLite addon, the history thread and the charts' script.
    const html = join(work, 'report.html');
    const report = await runCli(['report', '--check', 'ram', '-o', 'json', '--html', html], { command: [argus], env });
    assert.equal(report.code, 0, report.stderr);
    assert.equal((JSON.parse(report.stdout) as { metrics: { samples: number }[] }).metrics[0]?.samples, 1);
    assert.match(readFileSync(html, 'utf8'), /<script>.{10000,}<\/script>/s);
    // The service unit runs the installed argus, wherever npm put it.
    const unit = await runCli(['service', 'install', '--dry-run'], { command: [argus], env });
    assert.equal(unit.code, 0, unit.stderr);
    assert.match(
      unit.stdout,
      new RegExp(`^ExecStart=\\S+ ${realpathSync(prefix)}/lib/node_modules/argus-monitor/bin/argus\\.cjs agent`, 'm'),
    );
  },
);
