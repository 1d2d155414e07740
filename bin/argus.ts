#!/usr/bin/env node
import module from 'node:module';
import { createNodeIo } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';

// Node 22.1+ keeps compiled code of the lazily loaded chunks between runs; older Nodes lack the function.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
process.exitCode = await main(process.argv.slice(2), createNodeIo());
// Exit explicitly: a child stuck in the kernel (nvidia-smi, statfs on a dead NFS mount) must not keep us alive.
process.exit();
