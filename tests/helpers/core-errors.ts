/** Asserting on the coded errors the core throws. */
import { expect } from 'vitest';
import { CoreError } from '../../src/core/errors.ts';

/** The CoreError `p` rejects with; the test fails when it resolves or rejects with anything else. */
export async function rejectionOf(p: Promise<unknown>): Promise<CoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    return e as CoreError;
  }
  throw new Error('expected a CoreError');
}

/** rejectionOf, and its code must be `code` (the message is shown when it is not). */
export async function expectCode(p: Promise<unknown>, code: string): Promise<CoreError> {
  const e = await rejectionOf(p);
  expect(e.code, e.message).toBe(code);
  return e;
}

/** The code `p` rejects with, or null when it resolves; errors that are not CoreErrors are rethrown. */
export async function codeOrNull(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (e instanceof CoreError) return e.code;
    throw e;
  }
}
