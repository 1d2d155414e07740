#!/usr/bin/env node
import { createNodeIo } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2), createNodeIo());
// Exit explicitly: a child stuck in the kernel (nvidia-smi, statfs on a dead NFS mount) must not keep us alive.
process.exit();
