import { createNodeIo } from './io.ts';
import { main } from './main.ts';

// The bundle's entry, loaded by bin/argus.cjs.
const io = createNodeIo();
void main(process.argv.slice(2), io).then(async (code) => {
  // What still waits in a stream reaches the reader first (process.exit() would drop it), within a bound.
  await io.flush(5000);
  // Exit explicitly: a child stuck in the kernel (nvidia-smi, statfs on a dead NFS mount) must not keep us alive.
  process.exit(code);
});
