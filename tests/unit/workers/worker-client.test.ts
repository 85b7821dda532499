/**
 * src/app/worker-client.ts against a scripted fake Worker: requests wait for `ready`, answers and
 * progress reach the right promise, errors keep their code and detail, and an AbortSignal sends
 * `cancel` — then terminates a worker that does not answer, replacing it on the next request.
 * (The real worker and browser are covered by tests/e2e.)
 */
import { describe, expect, it, vi } from 'vitest';
import { ImageWorkerClient, WorkerError } from '../../../src/app/worker-client.ts';
import type { JobRequest, WorkerEvent } from '../../../workers/protocol.ts';

class FakeWorker {
  onmessage: ((e: { data: WorkerEvent }) => void) | null = null;
  onerror: unknown = null;
  onmessageerror: unknown = null;
  readonly posted: (JobRequest | { type: 'cancel'; id: number })[] = [];
  terminated = false;
  /** How the fake answers each request. */
  constructor(private readonly answer: (request: JobRequest, worker: FakeWorker) => void) {}
  postMessage(message: JobRequest | { type: 'cancel'; id: number }) {
    this.posted.push(message);
    if (message.type === 'cancel') return;
    queueMicrotask(() => this.answer(message, this));
  }
  send(event: WorkerEvent) {
    this.onmessage?.({ data: event });
  }
  terminate() {
    this.terminated = true;
  }
}

function setup(answer: (request: JobRequest, worker: FakeWorker) => void, cancelGraceMs = 50) {
  const workers: FakeWorker[] = [];
  const client = new ImageWorkerClient({
    cancelGraceMs,
    createWorker: () => {
      const w = new FakeWorker(answer);
      workers.push(w);
      setTimeout(() => w.send({ type: 'ready' }), 5);
      return w as unknown as Worker;
    },
  });
  return { client, workers };
}

describe('ImageWorkerClient', () => {
  it('posts only after ready, resolves with the done event, forwards progress', async () => {
    const { client, workers } = setup((r, w) => {
      w.send({ type: 'progress', id: r.id, phase: 'plan', done: 1, total: 2 });
      w.send({ type: 'key-info-done', id: r.id, info: { ok: false, problem: 'nope' } });
    });
    const progress = vi.fn();
    await expect(client.keyInfo('x', { onProgress: progress })).resolves.toEqual({ ok: false, problem: 'nope' });
    expect(progress).toHaveBeenCalledWith(expect.objectContaining({ phase: 'plan', done: 1, total: 2 }));
    expect(workers).toHaveLength(1);
    expect(workers[0].posted[0]).toMatchObject({ type: 'key-info', key: 'x', id: 1 });
  });

  it('an error event rejects with a WorkerError keeping code and detail', async () => {
    const { client } = setup((r, w) => w.send({ type: 'error', id: r.id, code: 'SPLICE_IMPOSSIBLE', message: 'no', detail: { alternatives: ['raw', 'gzip'] } }));
    const error = await client.checkSettings({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error).toMatchObject({ code: 'SPLICE_IMPOSSIBLE', message: 'no', detail: { alternatives: ['raw', 'gzip'] } });
  });

  it('abort sends cancel; the worker answering ABORTED ends the request and the worker stays', async () => {
    const { client, workers } = setup((r, w) => {
      if (r.type === 'check-settings') w.send({ type: 'settings-checked', id: r.id, ok: true, issues: [], warnings: [] });
      // configure: never answers until cancelled
    });
    const controller = new AbortController();
    const pending = client.previewFiles({}, undefined, { signal: controller.signal });
    await client.ready();
    await new Promise((r) => setTimeout(r, 10));
    const worker = workers[0];
    const original = worker.postMessage.bind(worker);
    worker.postMessage = (m) => {
      original(m);
      if (m.type === 'cancel') worker.send({ type: 'error', id: m.id, code: 'ABORTED', message: 'The operation was cancelled.', detail: {} });
    };
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(worker.posted.some((m) => m.type === 'cancel')).toBe(true);
    expect(worker.terminated).toBe(false);
    await expect(client.checkSettings({})).resolves.toMatchObject({ ok: true });
    expect(workers).toHaveLength(1);
  });

  it('a worker that ignores the cancel is terminated after the grace period and replaced', async () => {
    const { client, workers } = setup((r, w) => {
      if (r.type === 'check-settings') w.send({ type: 'settings-checked', id: r.id, ok: true, issues: [], warnings: [] });
    });
    const controller = new AbortController();
    const pending = client.previewFiles({}, undefined, { signal: controller.signal });
    await client.ready();
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(workers[0].terminated).toBe(true);
    await expect(client.checkSettings({})).resolves.toMatchObject({ ok: true });
    expect(workers).toHaveLength(2);
  });

  it('an already aborted signal rejects without posting', async () => {
    const { client, workers } = setup(() => undefined);
    await expect(client.checkSettings({}, undefined, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(workers).toHaveLength(0);
  });

  it('late events for a finished request are dropped', async () => {
    const { client } = setup((r, w) => {
      w.send({ type: 'wireguard-public-key-done', id: r.id, publicKey: 'K' });
      w.send({ type: 'wireguard-public-key-done', id: r.id, publicKey: 'late' });
      w.send({ type: 'progress', id: r.id, phase: 'plan', done: 0, total: 0 });
    });
    await expect(client.wireguardPublicKey('x')).resolves.toBe('K');
  });
});
