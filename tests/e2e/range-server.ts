/**
 * A small HTTP file server for e2e specs that need a real remote: Range and If-Range (RFC 9110),
 * ETag/Last-Modified, CORS on or off, throttling, a connection dropped mid-body, and a file that
 * changes between requests. Every request is logged (method, path, Range, If-Range, status) so a
 * spec can assert what the browser really asked. Node's http on 127.0.0.1, a free port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Uint8Array;
  etag?: string;
  lastModified?: string;
  contentType?: string;
  /** Destroy the connection after this many body bytes of the next response (once), then call `onDrop`. */
  dropAfter?: number;
  onDrop?: () => void;
  /** Send the body in pieces of `chunk` bytes, `delayMs` apart (for a reload mid-download). */
  throttle?: { chunk: number; delayMs: number };
}

export interface LoggedRequest {
  method: string;
  path: string;
  range?: string;
  ifRange?: string;
  status?: number;
}

export interface RangeServer {
  origin: string;
  url(path: string): string;
  files: Map<string, ServedFile>;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

/** `bytes=N-` or `bytes=N-M` → [first, last] within `size`; undefined when unusable. */
function parseRange(header: string, size: number): [number, number] | undefined {
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return first <= last && first < size ? [first, last] : undefined;
}

/** Whether If-Range names the file's current version (ETag compared strongly, else the date). */
function ifRangeMatches(value: string, file: ServedFile): boolean {
  if (value.startsWith('"') || value.startsWith('W/')) return !value.startsWith('W/') && value === file.etag;
  return value === file.lastModified;
}

export async function startRangeServer(options: { cors?: boolean } = {}): Promise<RangeServer> {
  const cors = options.cors ?? true;
  const files = new Map<string, ServedFile>();
  const requests: LoggedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const corsHeaders = (): Record<string, string> =>
    cors
      ? {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Expose-Headers': 'ETag, Last-Modified, Content-Range, Content-Length, Accept-Ranges',
        }
      : {};

  async function send(res: ServerResponse, body: Uint8Array, file: ServedFile): Promise<void> {
    const drop = file.dropAfter;
    if (drop !== undefined) file.dropAfter = undefined;
    const chunk = file.throttle?.chunk ?? 64 * 1024;
    let sent = 0;
    for (let at = 0; at < body.length; at += chunk) {
      if (res.destroyed) return;
      let piece = body.subarray(at, Math.min(body.length, at + chunk));
      if (drop !== undefined && sent + piece.length > drop) {
        piece = piece.subarray(0, drop - sent);
        await new Promise<void>((resolve) => res.write(piece, () => resolve()));
        // Let the bytes reach the browser, then cut the connection mid-body.
        await new Promise((resolve) => setTimeout(resolve, 50));
        res.destroy();
        file.onDrop?.();
        return;
      }
      if (!res.write(piece)) await new Promise((resolve) => res.once('drain', resolve));
      sent += piece.length;
      if (file.throttle) await new Promise((resolve) => setTimeout(resolve, file.throttle!.delayMs));
    }
    res.end();
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const entry: LoggedRequest = { method: req.method ?? 'GET', path };
    if (typeof req.headers.range === 'string') entry.range = req.headers.range;
    if (typeof req.headers['if-range'] === 'string') entry.ifRange = req.headers['if-range'];
    requests.push(entry);
    const reply = (status: number, headers: Record<string, string | number>) => {
      entry.status = status;
      res.writeHead(status, { ...corsHeaders(), 'Cache-Control': 'no-store', ...headers });
    };
    if (req.method === 'OPTIONS') {
      reply(204, cors ? { 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Allow-Headers': 'Range, If-Range', 'Access-Control-Max-Age': '0' } : {});
      return res.end();
    }
    const file = files.get(path);
    if (!file) {
      reply(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    const common: Record<string, string | number> = { 'Accept-Ranges': 'bytes', 'Content-Type': file.contentType ?? 'application/octet-stream' };
    if (file.etag) common.ETag = file.etag;
    if (file.lastModified) common['Last-Modified'] = file.lastModified;
    const size = file.body.length;
    let range: [number, number] | undefined;
    if (entry.range && (!entry.ifRange || ifRangeMatches(entry.ifRange, file))) {
      range = parseRange(entry.range, size);
      if (!range) {
        reply(416, { ...common, 'Content-Range': `bytes */${size}` });
        return res.end();
      }
    }
    if (range) {
      const [first, last] = range;
      reply(206, { ...common, 'Content-Range': `bytes ${first}-${last}/${size}`, 'Content-Length': last - first + 1 });
      if (req.method === 'HEAD') return res.end();
      return void send(res, file.body.subarray(first, last + 1), file);
    }
    reply(200, { ...common, 'Content-Length': size });
    if (req.method === 'HEAD') return res.end();
    void send(res, file.body, file);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    files,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
