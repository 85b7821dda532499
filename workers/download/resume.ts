/**
 * Resuming a download with HTTP Range, as pure decisions (RFC 9110 §13.1.5 If-Range, §14 ranges):
 * what to send given the bytes already stored and the validator of the response that produced
 * them, and what to do with the answer. A changed file restarts from zero; it is never stitched.
 */
import type { DownloadValidator } from '../protocol.ts';

/** The value for `If-Range`: a strong ETag, else Last-Modified; none means the bytes cannot be resumed safely. */
export function ifRangeValue(validator: DownloadValidator | undefined): string | undefined {
  if (!validator) return undefined;
  // A weak ETag (W/"…") must not be used in If-Range (RFC 9110 §13.1.5).
  if (validator.etag && !validator.etag.startsWith('W/')) return validator.etag;
  return validator.lastModified || undefined;
}

/** The request headers that continue after `have` stored bytes (none: ask for the whole file). */
export function resumeHeaders(have: number, validator: DownloadValidator | undefined): Record<string, string> {
  const ifRange = ifRangeValue(validator);
  if (have <= 0 || !ifRange) return {};
  return { Range: `bytes=${have}-`, 'If-Range': ifRange };
}

/** What a response says about itself (header names as `Headers.get` reads them). */
export interface ResponseFacts {
  status: number;
  statusText?: string;
  header(name: string): string | null;
}

export type ResponseDecision =
  /** 206 for exactly the bytes asked: append them at `from`. */
  | { action: 'append'; from: number; total?: number; validator: DownloadValidator }
  /** 200: the whole file follows; drop what was stored (and say why when something was). */
  | { action: 'restart'; total?: number; validator: DownloadValidator; reason?: 'changed' | 'no-range' }
  /** The server's range answer cannot be trusted (416, a different range, a different validator): ask again without Range. */
  | { action: 'refetch'; reason: 'invalid-range' }
  | { action: 'fail'; status: number; message: string };

export function validatorOf(res: Pick<ResponseFacts, 'header'>): DownloadValidator {
  const validator: DownloadValidator = {};
  const etag = res.header('etag');
  const lastModified = res.header('last-modified');
  if (etag) validator.etag = etag;
  if (lastModified) validator.lastModified = lastModified;
  return validator;
}

/** `bytes 100-199/1000` → {first, last, total}; total undefined for `*`. */
export function parseContentRange(value: string | null): { first: number; last: number; total?: number } | undefined {
  const m = value ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim()) : null;
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (last < first) return undefined;
  return { first, last, total: m[3] === '*' ? undefined : Number(m[3]) };
}

function lengthOf(res: ResponseFacts): number | undefined {
  const value = res.header('content-length');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value);
}

/**
 * Decides from the answer to a request that asked for bytes from `from` (0: the whole file) with
 * the validator `sent` (the one stored with the bytes; it went out in If-Range).
 */
export function decideResponse(from: number, sent: DownloadValidator | undefined, res: ResponseFacts): ResponseDecision {
  const validator = validatorOf(res);
  if (res.status === 200) {
    const total = lengthOf(res);
    if (from <= 0) return { action: 'restart', total, validator };
    const same = sameVersion(sent, validator);
    return { action: 'restart', total, validator, reason: same ? 'no-range' : 'changed' };
  }
  if (res.status === 206) {
    const range = parseContentRange(res.header('content-range'));
    if (from <= 0 || !range || range.first !== from) return { action: 'refetch', reason: 'invalid-range' };
    // If-Range matched, so the validator must be the one we sent; anything else would stitch two versions.
    if (!sameVersion(sent, validator)) return { action: 'refetch', reason: 'invalid-range' };
    return { action: 'append', from, total: range.total, validator: { ...sent, ...validator } };
  }
  if (res.status === 416) return { action: 'refetch', reason: 'invalid-range' };
  return { action: 'fail', status: res.status, message: `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.` };
}

/** Whether two validators name the same version: the If-Range value must match when the answer repeats it. */
export function sameVersion(a: DownloadValidator | undefined, b: DownloadValidator): boolean {
  const sent = ifRangeValue(a);
  if (!sent) return false;
  if (a?.etag && !a.etag.startsWith('W/')) return b.etag === undefined || b.etag === a.etag;
  return b.lastModified === undefined || b.lastModified === a?.lastModified;
}
