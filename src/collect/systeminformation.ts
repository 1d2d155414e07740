import { importModule } from '../platform/import-module.ts';

/**
 * The part of the `systeminformation` package the checks use off Linux. It is loaded only there: on Linux our
 * own readers are ~350x cheaper per cycle and start no processes (shared/research/performance-and-dependencies.md).
 */
export interface SystemInformation {
  currentLoad(): Promise<{
    currentLoad: number;
    currentLoadUser: number;
    currentLoadSystem: number;
    currentLoadNice: number;
    currentLoadIrq: number;
    currentLoadSteal: number;
    cpus: { load: number }[];
  }>;
  mem(): Promise<{ total: number; available: number; swaptotal: number; swapused: number }>;
  fsSize(): Promise<{ fs: string; type: string; size: number; used: number; available: number; mount: string }[]>;
  networkStats(interfaces: string): Promise<
    {
      iface: string;
      rx_sec: number | null;
      tx_sec: number | null;
      rx_errors: number;
      tx_errors: number;
      rx_dropped: number;
      tx_dropped: number;
      ms: number;
    }[]
  >;
  graphics(): Promise<{
    controllers: {
      vendor: string;
      model: string;
      utilizationGpu?: number;
      memoryUsed?: number;
      memoryTotal?: number;
      temperatureGpu?: number;
      powerDraw?: number;
      powerLimit?: number;
      fanSpeed?: number;
    }[];
  }>;
  cpuTemperature(): Promise<{ main: number | null; cores: number[]; max: number | null }>;
}

export async function loadSystemInformation(): Promise<SystemInformation> {
  try {
    const loaded = (await importModule('systeminformation')) as {
      default?: SystemInformation;
    } & SystemInformation;
    return loaded.default ?? loaded;
  } catch (error) {
    throw new Error('Cannot load "systeminformation", which Argus needs off Linux: reinstall without --omit=optional', {
      cause: error,
    });
  }
}
