#!/usr/bin/env node
/**
 * Generates src/core/settings/settings.generated.ts from settings.schema.json with
 * json-schema-to-typescript. The schema is the source of truth; the generated file is committed
 * and tests/unit/settings/schema-drift.test.ts fails when it is stale.
 *
 *   node scripts/gen-settings-types.mjs          write the file
 *   node scripts/gen-settings-types.mjs --check  exit 1 if the committed file differs
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA_PATH = `${root}src/core/settings/settings.schema.json`;
export const GENERATED_PATH = `${root}src/core/settings/settings.generated.ts`;

const BANNER = `/* eslint-disable */
/**
 * Generated — do not edit; npm run gen (node scripts/gen-settings-types.mjs).
 * Source: src/core/settings/settings.schema.json (settings format v1).
 */`;

/** The generated TypeScript text for the current schema. */
export async function generateSettingsTypes() {
  const schema = withoutRefSiblings(JSON.parse(await readFile(SCHEMA_PATH, 'utf8')));
  return compile(schema, 'Settings', {
    bannerComment: BANNER,
    additionalProperties: false,
    unreachableDefinitions: false,
    // minItems would turn `string[]` into `[string, ...string[]]`; the validator enforces it.
    ignoreMinAndMaxItems: true,
    strictIndexSignatures: false,
    format: true,
    style: { singleQuote: true, printWidth: 110 },
  });
}

/**
 * Drops the keywords beside a `$ref` (a property's own description, for the app's UI):
 * json-schema-to-typescript would otherwise treat each such property as a new type and emit
 * Ipv4Settings1, Ipv4Settings2… The referenced definition keeps its own description.
 */
function withoutRefSiblings(node) {
  if (Array.isArray(node)) return node.map(withoutRefSiblings);
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') return { $ref: node.$ref };
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withoutRefSiblings(v)]));
}

async function main() {
  const text = await generateSettingsTypes();
  if (process.argv.includes('--check')) {
    const current = await readFile(GENERATED_PATH, 'utf8').catch(() => '');
    if (current !== text) {
      console.error('settings.generated.ts is stale: run node scripts/gen-settings-types.mjs');
      process.exit(1);
    }
    return;
  }
  await writeFile(GENERATED_PATH, text);
  console.log(`wrote ${GENERATED_PATH}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
