/**
 * Runtime check of what arrives on the worker's port: a message is a request only if its shape is
 * right. An unknown type or a malformed field is the client's bug, reported as INTERNAL naming the
 * field — never guessed into some other request.
 */
import type { ErrorMessage, RequestType, WorkerRequest } from './protocol.ts';
import { OUTPUT_CHOICES, REQUEST_TYPES } from './protocol.ts';

export type RequestCheck = { ok: true; request: WorkerRequest } | { ok: false; error: ErrorMessage };

type Rec = Record<string, unknown>;

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const optional = (check: (v: unknown) => boolean) => (v: unknown) => v === undefined || check(v);
const isString = (v: unknown) => typeof v === 'string';
const isBlob = (v: unknown) => typeof Blob !== 'undefined' && v instanceof Blob;
const isBoolean = (v: unknown) => typeof v === 'boolean';
const isWritable = (v: unknown) => typeof WritableStream !== 'undefined' && v instanceof WritableStream;
/** SOURCE_DATE_EPOCH: whole seconds since 1970, not before it (FAT clamps to 1980–2107 itself). */
const isEpoch = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isPresent = (v: unknown) => v !== undefined;

/** For each request type, its fields besides `type` and `id`, and what each must be. */
const FIELDS: Record<RequestType, Record<string, [check: (v: unknown) => boolean, what: string]>> = {
  inspect: {
    input: [isBlob, 'a Blob or File'],
    fileName: [isString, 'a string'],
    member: [optional(isString), 'a string when present'],
  },
  configure: {
    input: [isBlob, 'a Blob or File'],
    fileName: [isString, 'a string'],
    member: [optional(isString), 'a string when present'],
    output: [(v) => (OUTPUT_CHOICES as readonly unknown[]).includes(v), `one of ${OUTPUT_CHOICES.join(', ')}`],
    settings: [isPresent, 'present (the parsed settings JSON)'],
    deviceSlug: [optional(isString), 'a string when present'],
    sourceDateEpoch: [optional(isEpoch), 'a whole number of seconds since 1970 when present'],
    verifyInput: [optional(isBoolean), 'a boolean when present'],
    sink: [optional(isWritable), 'a WritableStream when present'],
    outputTag: [optional((v) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v)), 'up to 64 letters, digits, - or _ when present'],
  },
  'check-settings': {
    settings: [isPresent, 'present (the parsed settings JSON)'],
    deviceSlug: [optional(isString), 'a string when present'],
  },
  'preview-files': {
    settings: [isPresent, 'present (the parsed settings JSON)'],
    deviceSlug: [optional(isString), 'a string when present'],
  },
  'key-info': { key: [isString, 'a string'] },
  'wireguard-public-key': { privateKey: [isString, 'a string'] },
  cancel: {},
};

function fail(id: number, field: string, message: string): RequestCheck {
  return { ok: false, error: { type: 'error', id, code: 'INTERNAL', message, detail: { field } } };
}

export function validateRequest(data: unknown): RequestCheck {
  if (!isRecord(data)) return fail(-1, '', 'Internal error: a worker request must be an object.');
  const id = isId(data.id) ? data.id : -1;
  if (id < 0) return fail(-1, 'id', 'Internal error: a worker request needs a non-negative integer id.');
  const type = data.type;
  if (typeof type !== 'string' || !(REQUEST_TYPES as readonly string[]).includes(type)) {
    return fail(id, 'type', `Internal error: unknown worker request type ${JSON.stringify(type)}; known: ${REQUEST_TYPES.join(', ')}.`);
  }
  const fields = FIELDS[type as RequestType];
  for (const [name, [check, what]] of Object.entries(fields)) {
    if (!check(data[name])) return fail(id, name, `Internal error: ${type} request field ${name} must be ${what}.`);
  }
  for (const name of Object.keys(data)) {
    if (name !== 'type' && name !== 'id' && !(name in fields)) return fail(id, name, `Internal error: ${type} request has an unknown field ${name}.`);
  }
  return { ok: true, request: data as unknown as WorkerRequest };
}
