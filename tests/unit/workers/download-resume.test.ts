import { describe, expect, it } from 'vitest';
import { decideResponse, ifRangeValue, parseContentRange, resumeHeaders, sameVersion } from '../../../workers/download/resume.ts';

const res = (status: number, headers: Record<string, string> = {}) => ({
  status,
  header: (name: string) => headers[name.toLowerCase()] ?? null,
});

describe('resume headers', () => {
  it('asks for the rest with If-Range: a strong ETag first, else Last-Modified', () => {
    expect(resumeHeaders(1000, { etag: '"v1"', lastModified: 'Mon, 30 Nov 2026 10:00:00 GMT' })).toEqual({ Range: 'bytes=1000-', 'If-Range': '"v1"' });
    expect(resumeHeaders(1000, { lastModified: 'Mon, 30 Nov 2026 10:00:00 GMT' })).toEqual({ Range: 'bytes=1000-', 'If-Range': 'Mon, 30 Nov 2026 10:00:00 GMT' });
  });
  it('never sends Range without a usable validator (weak ETags cannot guard If-Range) or with nothing stored', () => {
    expect(resumeHeaders(1000, undefined)).toEqual({});
    expect(resumeHeaders(1000, { etag: 'W/"v1"' })).toEqual({});
    expect(ifRangeValue({ etag: 'W/"v1"', lastModified: 'x' })).toBe('x');
    expect(resumeHeaders(0, { etag: '"v1"' })).toEqual({});
  });
});

describe('parseContentRange', () => {
  it('reads first, last and total', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ first: 100, last: 199, total: 1000 });
    expect(parseContentRange('bytes 100-199/*')).toEqual({ first: 100, last: 199, total: undefined });
    expect(parseContentRange('bytes */1000')).toBeUndefined();
    expect(parseContentRange(null)).toBeUndefined();
    expect(parseContentRange('bytes 200-100/1000')).toBeUndefined();
  });
});

describe('decideResponse', () => {
  const v1 = { etag: '"v1"' };
  it('a first 200 starts the file, with its validator and length', () => {
    expect(decideResponse(0, undefined, res(200, { etag: '"v1"', 'content-length': '1000' }))).toEqual({ action: 'restart', total: 1000, validator: v1 });
  });
  it('a 206 for exactly the bytes asked, of the same version, is appended', () => {
    expect(decideResponse(500, v1, res(206, { etag: '"v1"', 'content-range': 'bytes 500-999/1000' }))).toEqual({ action: 'append', from: 500, total: 1000, validator: v1 });
  });
  it('a 200 to a Range request restarts from zero: "changed" when the validator differs, "no-range" when the server ignored Range', () => {
    expect(decideResponse(500, v1, res(200, { etag: '"v2"', 'content-length': '1200' }))).toEqual({ action: 'restart', total: 1200, validator: { etag: '"v2"' }, reason: 'changed' });
    expect(decideResponse(500, v1, res(200, { etag: '"v1"', 'content-length': '1000' }))).toMatchObject({ action: 'restart', reason: 'no-range' });
    const lm = { lastModified: 'Mon, 30 Nov 2026 10:00:00 GMT' };
    expect(decideResponse(500, lm, res(200, { 'last-modified': 'Mon, 30 Nov 2026 11:00:00 GMT' }))).toMatchObject({ action: 'restart', reason: 'changed' });
  });
  it('never stitches: a 206 of another version, another offset, no Content-Range, or a 416 asks again from zero', () => {
    expect(decideResponse(500, v1, res(206, { etag: '"v2"', 'content-range': 'bytes 500-999/1000' }))).toEqual({ action: 'refetch', reason: 'invalid-range' });
    expect(decideResponse(500, v1, res(206, { etag: '"v1"', 'content-range': 'bytes 400-999/1000' }))).toEqual({ action: 'refetch', reason: 'invalid-range' });
    expect(decideResponse(500, v1, res(206, { etag: '"v1"' }))).toEqual({ action: 'refetch', reason: 'invalid-range' });
    expect(decideResponse(0, undefined, res(206, { 'content-range': 'bytes 0-9/10' }))).toEqual({ action: 'refetch', reason: 'invalid-range' });
    expect(decideResponse(1000, v1, res(416))).toEqual({ action: 'refetch', reason: 'invalid-range' });
  });
  it('other statuses fail with the status in the message', () => {
    expect(decideResponse(0, undefined, { ...res(404), statusText: 'Not Found' })).toEqual({ action: 'fail', status: 404, message: 'The server answered 404 Not Found.' });
  });
  it('sameVersion compares what If-Range carried', () => {
    expect(sameVersion(v1, { etag: '"v1"' })).toBe(true);
    expect(sameVersion(v1, {})).toBe(true);
    expect(sameVersion(v1, { etag: '"v2"' })).toBe(false);
    expect(sameVersion(undefined, { etag: '"v1"' })).toBe(false);
  });
});
