// Runs in the browser: the HTML report's charts, from the ChartSet the page carries (no request is made).
import type { ChartSet } from '../charts/chart-set.ts';
import { drawChart, followColorScheme } from './chart.ts';

followColorScheme('auto');
const set = JSON.parse(document.getElementById('argus-data')?.textContent ?? '{}') as ChartSet;
const width = (): number => Math.max(280, Math.min(900, document.body.clientWidth - 8));
let drawn = 0;
for (const holder of document.querySelectorAll<HTMLElement>('[data-chart]')) {
  const entry = set.charts[Number(holder.dataset.chart)];
  if (entry && drawChart(holder, entry, { ...set, width: width(), height: 200 })) drawn += 1;
}
document.body.dataset.charts = String(drawn);
