type XzStreamConstructor = new (compressed: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;

/**
 * xz-decompress (xz-embedded compiled to WASM) as it is published: its class, plus the statics
 * version 0.2.x keeps on it (the WASM instance, how to make it, and the lock that lets one decoder
 * run at a time per realm). Driving the instance directly saves a ReadableStream round trip and a
 * copy per 64 KiB of output; without these statics (another version) the public stream is used.
 */
interface XzStatics extends XzStreamConstructor {
  _moduleInstance?: WebAssembly.Instance;
  _moduleInstancePromise?: Promise<void>;
  _getModuleInstance?: () => Promise<void>;
  _contextMutex?: { acquire(): Promise<void>; release(): void };
}

let xzClass: Promise<XzStatics> | undefined;

/**
 * xz-decompress, imported on first use: evaluating it (its WASM set-up, and Node's web streams,
 * which it reads) took ~18 ms of every CLI run, also of the runs that decode no xz.
 * A UMD bundle: Node's ESM loader sees only its `default` export, bundlers and vitest the named one.
 */
function loadXz(): Promise<XzStatics> {
  xzClass ??= import('xz-decompress').then((m) => {
    const named = m as unknown as { XzReadableStream?: XzStatics; default?: { XzReadableStream: XzStatics } };
    return named.XzReadableStream ?? named.default!.XzReadableStream;
  });
  return xzClass;
}

interface WasmExports {
  memory: WebAssembly.Memory;
  create_context(): number;
  destroy_context(ptr: number): void;
  supply_input(ptr: number, length: number): void;
  get_next_output(ptr: number): number;
}

const XZ_OK = 0;
const XZ_STREAM_END = 1;
/** xz.h XZ_BUF_ERROR: the input ended before the stream did. */
const XZ_BUF_ERROR = 5;

/** Supplies the compressed stream piece by piece; null at its end. */
export type XzInput = () => Promise<Uint8Array | null>;
/**
 * Receives decoded bytes in order. The view points into the decoder's memory and is valid only
 * until the returned promise settles: copy what must be kept. Returning false stops the decoder.
 */
export type XzOutput = (view: Uint8Array) => boolean | void | Promise<boolean | void>;

/** True when the WASM instance is driven directly (xz-decompress 0.2.x), false on the stream fallback. */
export async function directDecoder(): Promise<boolean> {
  return drivable(await loadXz());
}

function drivable(X: XzStatics): boolean {
  return Boolean(X._getModuleInstance && X._contextMutex);
}

/**
 * Runs one .xz stream through xz-decompress. Resolves true when the stream ended, false when
 * `onOutput` stopped it. Errors are xz-decompress's (`… error code N`, xz.h enum xz_ret). Driven
 * directly, output views are whole 64 KiB buffers except the last, so their boundaries fall at
 * multiples of 64 KiB (the stream fallback gives pieces of any size).
 * The decoder (and its lock) is always released, also on errors and early stops.
 */
export async function runXzDecoder(input: XzInput, onOutput: XzOutput): Promise<boolean> {
  const X = await loadXz();
  return drivable(X) ? runDirect(X, input, onOutput) : runStream(X, input, onOutput);
}

async function runDirect(X: XzStatics, input: XzInput, onOutput: XzOutput): Promise<boolean> {
  const mutex = X._contextMutex!;
  await mutex.acquire();
  let ptr = 0;
  let exports: WasmExports | null = null;
  try {
    if (!X._moduleInstance) await (X._moduleInstancePromise ??= X._getModuleInstance!());
    exports = X._moduleInstance!.exports as unknown as WasmExports;
    ptr = exports.create_context();
    // The context: buffer size, then struct xz_buf { in, in_pos, in_size, out, out_pos, out_size }.
    let mem32 = new Uint32Array(exports.memory.buffer, ptr, 8);
    const bufSize = mem32[0];
    const inStart = mem32[1];
    const outStart = mem32[4];
    let piece: Uint8Array | null = new Uint8Array(0);
    let hungry = true;
    let ended = false;
    for (;;) {
      if (hungry) {
        // The decoder stopped for input: the next (at most bufSize) bytes.
        while (piece !== null && piece.length === 0) piece = await input();
        if (piece === null) {
          // The input ended: an empty input tells the decoder so (xz_dec_catrun's "finish"), once.
          if (ended) throw new Error(`get_next_output failed with error code ${XZ_BUF_ERROR}`);
          ended = true;
          // Output held back for alignment goes first: the decoder drops it on a call without input.
          if (mem32[5] > 0 && (await onOutput(new Uint8Array(exports.memory.buffer, outStart, mem32[5]))) === false) return false;
          mem32 = new Uint32Array(exports.memory.buffer, ptr, 8);
          mem32[5] = 0;
          exports.supply_input(ptr, 0);
        } else {
          const n = Math.min(bufSize, piece.length);
          new Uint8Array(exports.memory.buffer, inStart, n).set(piece.subarray(0, n));
          piece = piece.subarray(n);
          exports.supply_input(ptr, n);
        }
      }
      const result = exports.get_next_output(ptr);
      if (result !== XZ_OK && result !== XZ_STREAM_END) throw new Error(`get_next_output failed with error code ${result}`);
      if (exports.memory.buffer !== mem32.buffer) mem32 = new Uint32Array(exports.memory.buffer, ptr, 8);
      const outPos = mem32[5];
      // xz_dec_run returns when its output is full, its input used up, or the stream ended. Output is
      // handed on only when full (or at the end), so views start at multiples of 64 KiB.
      hungry = outPos < bufSize && result === XZ_OK;
      if (outPos === bufSize || (result === XZ_STREAM_END && outPos > 0)) {
        const view = new Uint8Array(exports.memory.buffer, outStart, outPos);
        if ((await onOutput(view)) === false) return false;
        mem32 = new Uint32Array(exports.memory.buffer, ptr, 8);
        mem32[5] = 0;
      }
      if (result === XZ_STREAM_END) return true;
    }
  } finally {
    if (exports && ptr) exports.destroy_context(ptr);
    mutex.release();
  }
}

/** The public stream API (a copy per output piece; pieces not aligned). */
async function runStream(X: XzStatics, input: XzInput, onOutput: XzOutput): Promise<boolean> {
  const source = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const piece = await input();
        if (piece === null) controller.close();
        else controller.enqueue(piece);
      },
    },
    { highWaterMark: 0 },
  );
  const reader = new X(source).getReader();
  let settled = false;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (e) {
        settled = true;
        throw e;
      }
      if (result.done) {
        settled = true;
        return true;
      }
      if (result.value.length > 0 && (await onOutput(result.value)) === false) return false;
    }
  } finally {
    // Only after a read has settled: cancelling before xz-decompress's start() ran would leave its lock taken.
    if (!settled) await reader.cancel().catch(() => undefined);
  }
}
