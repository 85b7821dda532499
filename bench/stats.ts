/** Timing helpers: medians of repeated runs (fflate's discipline: report, never assert). */
import { performance } from 'node:perf_hooks';

export async function timeRuns(runs: number, body: (i: number) => Promise<void>, before?: (i: number) => Promise<void> | void): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.(i);
    const t0 = performance.now();
    await body(i);
    times.push(performance.now() - t0);
  }
  return times;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const fmtMs = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0)) + ' ms';
export const fmtS = (ms: number) => (ms / 1000).toFixed(2) + ' s';
