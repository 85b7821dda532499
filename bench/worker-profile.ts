/**
 * Chromium's CPU profiler on the page's dedicated worker, over the page's CDP session (Playwright
 * opens CDP sessions on pages only, so the worker is attached with `Target.attachToTarget` and
 * spoken to through `Target.sendMessageToTarget`). For `BENCH_PROFILE=<dir>` in bench/browser.ts:
 * the profiles open in DevTools' Performance panel; `summarize` says where the time went.
 */
import type { CDPSession, Page } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface WorkerProfiler {
  start(): Promise<void>;
  stop(): Promise<CpuProfile>;
  detach(): Promise<void>;
}

/** Attaches to the page's worker whose URL contains `urlPart`. */
export async function profileWorker(page: Page, urlPart: string, samplingMicros = 200): Promise<WorkerProfiler> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'worker' && t.url.includes(urlPart));
  if (!target) throw new Error(`no worker target whose URL contains ${urlPart}`);
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let nextId = 1;
  const waiting = new Map<number, { resolve(result: unknown): void; reject(e: Error): void }>();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: { message: string } };
    const w = message.id === undefined ? undefined : waiting.get(message.id);
    if (!w) return;
    waiting.delete(message.id!);
    if (message.error) w.reject(new Error(message.error.message));
    else w.resolve(message.result);
  });
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (r: unknown) => void, reject });
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: samplingMicros });
  return {
    start: () => send('Profiler.start'),
    stop: async () => (await send<{ profile: CpuProfile }>('Profiler.stop')).profile,
    detach: () => cdp.detach(),
  };
}

export interface ProfileSummary {
  /** From the first to the last sample that ran code (ms). */
  busySpanMs: number;
  /** Samples inside that span where the thread had nothing to run: waiting for reads (ms). */
  idleMs: number;
  gcMs: number;
  /** Self time per function, largest first (ms). */
  top: { name: string; ms: number }[];
}

export function summarize(profile: CpuProfile, topN = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const name = (i: number) => byId.get(profile.samples[i])!.callFrame.functionName;
  const at: number[] = [];
  let t = 0;
  for (const d of profile.timeDeltas) at.push((t += d));
  const ran = (i: number) => !['(idle)', '(program)'].includes(name(i));
  let first = 0;
  while (first < at.length && !ran(first)) first++;
  let last = at.length - 1;
  while (last > first && !ran(last)) last--;
  const self = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  for (let i = first; i < last; i++) {
    const d = at[i + 1] - at[i];
    const frame = byId.get(profile.samples[i])!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + d);
    if (frame.functionName === '(idle)') idle += d;
    if (frame.functionName === '(garbage collector)') gc += d;
  }
  const top = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([n, us]) => ({ name: n, ms: us / 1000 }));
  return { busySpanMs: (at[last] - at[first]) / 1000, idleMs: idle / 1000, gcMs: gc / 1000, top };
}
