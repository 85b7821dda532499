/**
 * One fuzz case: mutate a base image (as patches), run inspect and configure in-process, and check
 * the invariants of issue 7 §5:
 * - it resolves, or rejects with a CoreError whose code is not INTERNAL and whose message is one line;
 * - the input bytes are unchanged;
 * - (the orchestrator checks the time bound, so a synchronous loop is caught too);
 * - when configure succeeds and the case is sampled: the boot FAT of the output passes `fsck.fat -n`
 *   (or, when the mutated input already failed it, reports nothing the input did not), and every
 *   written file reads back with mtools at its planned size; a compressed output decodes with the
 *   native tool whenever the mutated input does (damage in a tail the splice copies undecoded is
 *   the input's, carried over).
 */
import { writeFileSync } from 'node:fs';
import { nodeInflate } from '../../src/cli/node-inflate.ts';
import { CoreError } from '../../src/core/errors.ts';
import type { ByteSource } from '../../src/core/io/byte-source.ts';
import { checkRange } from '../../src/core/io/memory.ts';
import type { OutputRecipe } from '../../src/core/io/recipe.ts';
import { configureFile } from '../../src/core/pipeline/configure-file.ts';
import { planConfiguration } from '../../src/core/pipeline/configure-image.ts';
import { inspectImage } from '../../src/core/pipeline/inspect-image.ts';
import type { Settings } from '../../src/core/settings/types.ts';
import { prng } from '../helpers/fat-model.ts';
import { run } from '../helpers/tools.ts';
import type { Fixture } from './fixtures.ts';
import type { Layout } from './layout.ts';
import { mutateCompressed, mutateRaw, type Mutation, type Patch } from './mutate.ts';

export const SETTINGS: Settings = {
  version: 1,
  hostname: 'fuzz-host',
  network: { wifi: [{ ssid: 'Fuzz Net', security: 'wpa-psk', passphrase: 'correct horse battery' }] },
} as Settings;

/** The base image with patches applied on read; reads outside patches alias the base, as a MemoryDisk does. */
export class PatchedSource implements ByteSource {
  readonly size: number;
  /** Ranges handed out as views of the base: the only bytes a misbehaving caller could change. */
  readonly aliased: [number, number][] = [];
  constructor(readonly base: Uint8Array, readonly patches: readonly Patch[], size = base.length) {
    this.size = Math.min(size, base.length);
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length, this.size);
    const hit = this.patches.filter((p) => p.offset < offset + length && p.offset + p.bytes.length > offset);
    if (hit.length === 0) {
      this.aliased.push([offset, offset + length]);
      return this.base.subarray(offset, offset + length);
    }
    const out = this.base.slice(offset, offset + length);
    for (const p of hit) {
      for (let i = 0; i < p.bytes.length; i++) {
        const at = p.offset + i - offset;
        if (at >= 0 && at < length) out[at] = p.bytes[i];
      }
    }
    return out;
  }
}

export interface Loaded {
  fixture: Fixture;
  base: Uint8Array;
  pristine: Uint8Array;
  layout?: Layout;
}

export interface CaseResult {
  caseNo: number;
  fixture: string;
  what: string;
  outcome: { inspect: string; configure: string };
  failures: string[];
  fsckChecked?: boolean;
  ms?: number;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function attempt(p: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await p() };
  } catch (error) {
    return { ok: false, error };
  }
}

function judge(step: string, o: Outcome, failures: string[]): string {
  if (o.ok) return 'ok';
  const e = o.error;
  if (!(e instanceof CoreError)) {
    failures.push(`${step}: not a CoreError: ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
    return 'crash';
  }
  if (e.code === 'INTERNAL') failures.push(`${step}: INTERNAL: ${e.message}`);
  if (/\n/.test(e.message) || e.message.trim() === '') failures.push(`${step}: message is not one line: ${JSON.stringify(e.message)}`);
  return e.code;
}

export function caseRng(seed: number, caseNo: number) {
  return prng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(caseNo + 1, 0x85ebca6b)) >>> 0);
}

export async function runCase(loaded: Loaded[], seed: number, caseNo: number, scratch: string, fsckThis: boolean): Promise<CaseResult> {
  const r = caseRng(seed, caseNo);
  // About one case in eight goes to a compressed fixture (they decode, so they cost more).
  const compressed = loaded.filter((l) => l.fixture.compressed);
  const raw = loaded.filter((l) => !l.fixture.compressed);
  const item = compressed.length && r.int(8) === 0 ? r.pick(compressed) : r.pick(raw);
  const m: Mutation = item.fixture.compressed ? mutateCompressed(item.base, item.fixture.compressed, r) : mutateRaw(item.base, item.layout!, r);
  const failures: string[] = [];
  const source = new PatchedSource(item.base, m.patches, m.size);
  const result: CaseResult = { caseNo, fixture: item.fixture.name, what: m.what, outcome: { inspect: '-', configure: '-' }, failures };

  if (item.fixture.compressed) {
    // Odd cases inflate with the CLI's engine (Node's zlib fed ahead of the JS walk), even ones with pako.
    const inflate = caseNo % 2 === 1 ? nodeInflate : undefined;
    if (inflate) result.what += ` (inflated by ${inflate.name})`;
    const o = await attempt(() => configureFile(source, SETTINGS, { fileName: `image.img.${item.fixture.compressed}`, output: 'same', inflate }));
    result.outcome.configure = judge('configureFile', o, failures);
    if (o.ok && fsckThis) {
      result.fsckChecked = true;
      await checkCompressedOutput(item, source, (o.value as { recipe?: OutputRecipe; plan: { choice: { start: number; size: number }; files: { path: string; size: number }[] } }), scratch, failures);
    }
  } else {
    const inspected = await attempt(() => inspectImage(source));
    result.outcome.inspect = judge('inspectImage', inspected, failures);
    const planned = await attempt(() => planConfiguration(source, SETTINGS));
    result.outcome.configure = judge('planConfiguration', planned, failures);
    if (planned.ok && fsckThis) {
      result.fsckChecked = true;
      const plan = planned.value as Awaited<ReturnType<typeof planConfiguration>>;
      const { start, size } = plan.choice;
      const input = (await source.read(start, size)).slice();
      const output = input.slice();
      for (const c of plan.changes) {
        if (c.offset < start || c.offset + c.bytes.length > start + size) failures.push(`a change at ${c.offset}+${c.bytes.length} leaves the boot filesystem window`);
        else output.set(c.bytes, c.offset - start);
      }
      checkFat(input, output, plan.files, scratch, failures);
    }
  }
  for (const [from, to] of source.aliased) {
    if (Buffer.compare(item.base.subarray(from, to), item.pristine.subarray(from, to)) !== 0) {
      failures.push(`the input bytes were changed (in ${from}..${to})`);
      item.base.set(item.pristine);
      break;
    }
  }
  return result;
}

/** Problems fsck.fat reports, with numbers blanked so input and output can be compared. */
function fsckProblems(path: string): { clean: boolean; problems: Set<string>; text: string } {
  const res = run('fsck.fat', ['-n', path]);
  const text = res.stdout + res.stderr;
  const lines = text.split('\n').filter((l) => l && !/^fsck\.fat \d|^Checking|^Starting|^\/|files?, \d+\/\d+ clusters|^Leaving filesystem/.test(l));
  return { clean: res.status === 0, problems: new Set(lines.map((l) => l.replace(/\d+/g, 'N').trim())), text };
}

function checkFat(input: Uint8Array, output: Uint8Array, files: { path: string; size: number }[], scratch: string, failures: string[]): void {
  const outPath = `${scratch}/out.fat`;
  writeFileSync(outPath, output);
  const out = fsckProblems(outPath);
  if (!out.clean) {
    writeFileSync(`${scratch}/in.fat`, input);
    const inp = fsckProblems(`${scratch}/in.fat`);
    const added = [...out.problems].filter((p) => !inp.problems.has(p));
    if (inp.clean || added.length > 0) failures.push(`fsck.fat -n finds in the output what the input did not have: ${added.join(' | ') || out.text}`);
  }
  for (const f of files) {
    const res = run('mtype', ['-i', outPath, `::/${f.path}`]);
    if (res.status !== 0) failures.push(`mtype ${f.path} failed: ${res.stderr.trim()}`);
    else if (Buffer.byteLength(res.stdout, 'utf8') !== f.size && !/[\x80-\uffff]/.test(res.stdout)) failures.push(`mtype ${f.path}: ${Buffer.byteLength(res.stdout)} bytes, planned ${f.size}`);
  }
}

async function checkCompressedOutput(
  item: Loaded,
  source: ByteSource,
  result: { recipe?: OutputRecipe; plan: { choice: { start: number; size: number }; files: { path: string; size: number }[] } },
  scratch: string,
  failures: string[],
): Promise<void> {
  if (!result.recipe) return;
  const parts: Uint8Array[] = [];
  for (const s of result.recipe.segments) parts.push(s.kind === 'bytes' ? s.bytes : await source.read(s.offset, s.length));
  const file = `${scratch}/out.img.${item.fixture.compressed}`;
  writeFileSync(file, Buffer.concat(parts));
  const decodeTo = (from: string, to: string) =>
    item.fixture.compressed === 'gz' ? run('sh', ['-c', `gzip -dc '${from}' > '${to}'`])
    : item.fixture.compressed === 'xz' ? run('sh', ['-c', `xz -dc '${from}' > '${to}'`])
    : run('sh', ['-c', `unzip -p '${from}' > '${to}'`]);
  const decode = decodeTo(file, `${scratch}/out.raw`);
  if (decode.status !== 0) {
    // No worse than its input (§5): a splice copies the compressed tail past its last change
    // without decoding it (unless verifyInput), so damage there is carried over — an output that
    // does not decode is a failure only when the mutated input does.
    const input = `${scratch}/in.img.${item.fixture.compressed}`;
    writeFileSync(input, await source.read(0, source.size));
    if (decodeTo(input, `${scratch}/in.raw`).status === 0) failures.push(`the ${item.fixture.compressed} output does not decode, but its input does: ${decode.stderr.trim()}`);
    return;
  }
  const { start, size } = result.plan.choice;
  run('sh', ['-c', `dd if='${scratch}/out.raw' of='${scratch}/out.fat' bs=512 skip=${start / 512} count=${size / 512} status=none`]);
  const out = fsckProblems(`${scratch}/out.fat`);
  if (!out.clean) failures.push(`fsck.fat -n on the decoded output: ${out.text}`);
}
