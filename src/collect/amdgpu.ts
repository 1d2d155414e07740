import { sysPath, tryReadNumber, type Host } from './host.ts';
import { readHwmonDir } from './hwmon.ts';

export interface AmdGpu {
  card: string;
  busyPercent?: number;
  vramUsedBytes?: number;
  vramTotalBytes?: number;
  temperatureCelsius?: number;
  powerWatts?: number;
  powerCapWatts?: number;
  fanPercent?: number;
}

const AMD_VENDOR_ID = '0x1002';

/** Reads amdgpu's sysfs files under /sys/class/drm/card<N>/device (Documentation/gpu/amdgpu/thermal.rst). */
export function readAmdGpus(host: Host): AmdGpu[] {
  const drm = sysPath(host, 'class', 'drm');
  const gpus: AmdGpu[] = [];
  for (const card of host
    .listDir(drm)
    .filter((entry) => /^card\d+$/.test(entry))
    .sort()) {
    const device = `${drm}/${card}/device`;
    if (host.tryReadText(`${device}/vendor`)?.trim() !== AMD_VENDOR_ID) continue;
    const gpu: AmdGpu = { card };
    const assign = <K extends keyof AmdGpu>(key: K, value: AmdGpu[K] | undefined): void => {
      if (value !== undefined) gpu[key] = value;
    };
    assign('busyPercent', tryReadNumber(host, `${device}/gpu_busy_percent`));
    assign('vramUsedBytes', tryReadNumber(host, `${device}/mem_info_vram_used`));
    assign('vramTotalBytes', tryReadNumber(host, `${device}/mem_info_vram_total`));
    const hwmonRoot = `${device}/hwmon`;
    const hwmon = host.listDir(hwmonRoot)[0];
    if (hwmon) {
      const chip = readHwmonDir(host, `${hwmonRoot}/${hwmon}`, hwmon);
      assign('temperatureCelsius', chip.sensors[0]?.celsius);
      const micro = (file: string): number | undefined => {
        const value = tryReadNumber(host, `${hwmonRoot}/${hwmon}/${file}`);
        return value === undefined ? undefined : value / 1e6;
      };
      assign('powerWatts', micro('power1_average') ?? micro('power1_input'));
      assign('powerCapWatts', micro('power1_cap'));
      const pwm = tryReadNumber(host, `${hwmonRoot}/${hwmon}/pwm1`);
      const pwmMax = tryReadNumber(host, `${hwmonRoot}/${hwmon}/pwm1_max`) ?? 255;
      assign('fanPercent', pwm === undefined ? undefined : (pwm / pwmMax) * 100);
    }
    gpus.push(gpu);
  }
  return gpus;
}
