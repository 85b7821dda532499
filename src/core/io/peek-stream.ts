/**
 * Reads the first `n` bytes of a stream (fewer if it is shorter) and returns them together with a
 * stream that yields the whole input again, head included — so a format can be sniffed from magic
 * bytes without random access.
 */
export async function peekStream(input: ReadableStream<Uint8Array>, n: number): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = input.getReader();
  const buffered: Uint8Array[] = [];
  let have = 0;
  let done = false;
  while (have < n) {
    const r = await reader.read();
    if (r.done) {
      done = true;
      break;
    }
    buffered.push(r.value);
    have += r.value.length;
  }
  const head = new Uint8Array(Math.min(n, have));
  let p = 0;
  for (const c of buffered) {
    if (p >= head.length) break;
    const take = Math.min(c.length, head.length - p);
    head.set(c.subarray(0, take), p);
    p += take;
  }
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = buffered.shift();
      if (next) {
        controller.enqueue(next);
        return;
      }
      if (done) {
        controller.close();
        return;
      }
      const r = await reader.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { head, stream };
}
