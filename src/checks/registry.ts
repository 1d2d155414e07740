import type { Check } from './check.ts';
import { commandCheck } from './command.ts';
import { cpuCheck } from './cpu.ts';
import { diskCheck } from './disk.ts';
import { gpuCheck } from './gpu.ts';
import { networkCheck } from './network.ts';
import { procsCheck } from './procs.ts';
import { ramCheck } from './ram.ts';
import { temperatureCheck } from './temperature.ts';

/** The one list of checks: key = config name = file stem. */
export const checks = {
  cpu: cpuCheck,
  ram: ramCheck,
  disk: diskCheck,
  network: networkCheck,
  gpu: gpuCheck,
  temperature: temperatureCheck,
  procs: procsCheck,
  command: commandCheck,
} satisfies Record<string, Check>;

export type CheckName = keyof typeof checks;
