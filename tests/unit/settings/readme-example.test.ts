/** The README's settings example is examples/settings.json, verbatim, and it is valid. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../../src/core/settings/validate.ts';

const example = readFileSync('examples/settings.json', 'utf8');

describe('README settings example', () => {
  it('is valid settings', () => {
    const r = validateSettings(JSON.parse(example));
    expect(r.ok ? [] : r.issues).toEqual([]);
  });

  it('appears in the README exactly as in examples/settings.json', () => {
    expect(readFileSync('README.md', 'utf8')).toContain('```json\n' + example.trimEnd() + '\n```');
  });

  it('uses every top-level key of the format', () => {
    expect(Object.keys(JSON.parse(example)).sort()).toEqual(['$schema', 'cloud', 'files', 'hostname', 'network', 'os', 'ssh', 'version', 'vpn']);
  });
});
