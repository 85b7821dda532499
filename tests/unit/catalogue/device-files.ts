/** Test helper: the raw device-types/ folder, read from disk (what authors edit). */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const deviceTypesDir = fileURLToPath(new URL('../../../device-types/', import.meta.url));

export function readSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(deviceTypesDir + 'schema.json', 'utf8'));
}

export interface DeviceFile {
  fileName: string;
  data: Record<string, any>;
}

export function readDeviceFiles(): DeviceFile[] {
  return readdirSync(deviceTypesDir)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .sort()
    .map((fileName) => ({ fileName, data: JSON.parse(readFileSync(deviceTypesDir + fileName, 'utf8')) }));
}

/** A validator for schema.json, strict as the generator's. */
export function compileSchema() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(readSchema());
}
