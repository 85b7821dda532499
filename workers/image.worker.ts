/// <reference lib="webworker" />
/**
 * The image worker: wires messages to handle(). Every message is validated first (an unknown or
 * malformed request is answered with an INTERNAL error, never guessed at); one AbortController
 * per request, which `cancel` aborts. Says `ready` once it listens.
 */
import { handle } from './handle.ts';
import type { WorkerEvent } from './protocol.ts';
import { validateRequest } from './validate-request.ts';

declare const self: DedicatedWorkerGlobalScope;

const running = new Map<number, AbortController>();
const emit = (event: WorkerEvent) => self.postMessage(event);

self.onmessage = (event: MessageEvent<unknown>) => {
  const checked = validateRequest(event.data);
  if (!checked.ok) return emit(checked.error);
  const request = checked.request;
  if (request.type === 'cancel') return running.get(request.id)?.abort();
  const controller = new AbortController();
  running.set(request.id, controller);
  void handle(request, { emit, signal: controller.signal }).finally(() => running.delete(request.id));
};

emit({ type: 'ready' });
