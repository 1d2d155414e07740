// #15 (1): a scraper whose password is proven right, scraping while 200 wrong-password requests stay in flight.
// Its latency is set beside its own latency with no flood, measured against the same agent in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

export interface FloodFigures {
  bcryptCost: number;
  /** Source addresses the flood is spread over. */
  addresses: number;
  quiet: { p50Ms: number; p99Ms: number };
  flooded: { p50Ms: number; p99Ms: number; maxMs: number; scrapes: number };
  flood: { requests: number; unauthorized: number; tooMany: number };
}

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function get(url: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const call = request(url, { headers: { authorization }, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    call.on('error', reject);
    call.end();
  });
}

const percentile = (values: number[], share: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * share))] ?? NaN;

async function scrapeFor(url: string, authorization: string, ms: number): Promise<number[]> {
  const waits: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const started = performance.now();
    const status = await get(url, authorization);
    if (status !== 200) throw new Error(`the valid scraper got ${status}`);
    waits.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return waits;
}

// The flood runs in a process of its own, so its work does not slow the scraper's own event loop.
const FLOOD = `
const http = require('node:http');
const [url, inFlight, seconds, addresses] = process.argv.slice(1);
const counts = { requests: 0, unauthorized: 0, tooMany: 0 };
const end = Date.now() + Number(seconds) * 1000;
let n = 0;
const one = () => {
  if (Date.now() > end) return Promise.resolve();
  const auth = 'Basic ' + Buffer.from('prometheus:guess-' + (n += 1)).toString('base64');
  return new Promise((resolve) => {
    // With addresses > 1 each request comes from another 127.0.0.x, so only the bcrypt queue's bound holds.
    const localAddress = '127.0.' + Math.floor(n / 250) % 4 + '.' + (2 + (n % Number(addresses)) % 250);
    const options = { headers: { authorization: auth }, agent: false, ...(Number(addresses) > 1 ? { localAddress } : {}) };
    const call = http.request(url, options, (response) => {
      response.resume();
      response.on('end', () => {
        counts.requests += 1;
        if (response.statusCode === 401) counts.unauthorized += 1;
        if (response.statusCode === 429) counts.tooMany += 1;
        resolve();
      });
    });
    call.on('error', () => resolve());
    call.end();
  }).then(one);
};
Promise.all(Array.from({ length: Number(inFlight) }, one)).then(() => process.stdout.write(JSON.stringify(counts)));
`;

export async function benchAuthFlood(
  cli: string,
  options: { port?: number; bcryptCost?: number; addresses?: number } = {},
): Promise<FloodFigures> {
  const { port = 19190, bcryptCost = 10, addresses = 1 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'argus-bench-flood-'));
  const config = join(dir, 'agent.json');
  const hash = bcrypt.hashSync('scrape-me', bcryptCost);
  writeFileSync(
    config,
    JSON.stringify({
      enabled_checks: ['ram'],
      poll_interval: 15,
      server: { listen: `127.0.0.1:${port}`, auth: { password_hashes: { prometheus: hash } } },
    }),
  );
  const agent: ChildProcess = spawn(process.execPath, [cli, 'agent', '--no-history', '-c', config], {
    stdio: 'ignore',
    env: { ...process.env, XDG_STATE_HOME: join(dir, 'state') },
  });
  const url = `http://127.0.0.1:${port}/metrics`;
  const valid = basic('prometheus', 'scrape-me');
  try {
    for (let tries = 0; ; tries += 1) {
      if ((await get(url, valid).catch(() => 0)) === 200) break;
      if (tries > 200) throw new Error('the agent did not answer within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const quiet = await scrapeFor(url, valid, 5000);
    const flooder = spawn(process.execPath, ['-e', FLOOD, url, '200', '10', String(addresses)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    flooder.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const done = new Promise<void>((resolve) => flooder.on('close', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const flooded = await scrapeFor(url, valid, 9000);
    await done;
    return {
      bcryptCost,
      addresses,
      quiet: { p50Ms: percentile(quiet, 0.5), p99Ms: percentile(quiet, 0.99) },
      flooded: {
        p50Ms: percentile(flooded, 0.5),
        p99Ms: percentile(flooded, 0.99),
        maxMs: Math.max(...flooded),
        scrapes: flooded.length,
      },
      flood: JSON.parse(output) as FloodFigures['flood'],
    };
  } finally {
    agent.kill('SIGTERM');
    await new Promise((resolve) => agent.on('close', resolve));
  }
}
