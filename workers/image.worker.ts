/// <reference lib="webworker" />
/**
 * The image worker: wires messages to handle(). One AbortController per request; `cancel` aborts
 * it (the app may also terminate the worker outright).
 */
import { handle } from './handle.ts';
import type { WorkerEvent, WorkerRequest } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

const running = new Map<number, AbortController>();

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    running.get(request.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  void handle(request, { emit: (e: WorkerEvent) => self.postMessage(e), signal: controller.signal }).finally(() => running.delete(request.id));
};
