// The bcrypt thread: a compare costs tens to hundreds of milliseconds of CPU, which on the agent's own thread
// would hold every scrape behind it (bcryptjs yields only every 100 ms).
import bcrypt from 'bcryptjs';
import { randomBytes } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { CompareReply, CompareRequest } from './bcrypt-pool.ts';

const port = parentPort!;
// An unknown user is compared against a hash of the highest configured cost, so timing cannot tell which user
// names exist. Made once, on the first unknown user.
const decoys = new Map<number, string>();

port.on('message', (request: CompareRequest) => {
  let hash = request.hash;
  if (hash === undefined) {
    hash = decoys.get(request.decoyCost) ?? bcrypt.hashSync(randomBytes(16).toString('hex'), request.decoyCost);
    decoys.set(request.decoyCost, hash);
  }
  const ok = bcrypt.compareSync(request.password, hash) && request.hash !== undefined;
  port.postMessage({ id: request.id, ok } satisfies CompareReply);
});
