import { createNodeIo } from './io.ts';
import { main } from './main.ts';

// The bundle's entry, loaded by bin/argus.cjs.
void main(process.argv.slice(2), createNodeIo()).then((code) => {
  // Exit explicitly: a child stuck in the kernel (nvidia-smi, statfs on a dead NFS mount) must not keep us alive.
  process.exit(code);
});
