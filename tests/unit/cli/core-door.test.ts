/** Hosts reach the core only through src/core/index.ts (issue 7): the CLI imports no core module directly. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('src/cli', () => {
  it('imports the core only through src/core/index.ts', () => {
    const offending: string[] = [];
    for (const f of files('src/cli')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        const target = relative(resolve('src/core'), resolve(dirname(f), m[1]));
        if (m[1].startsWith('.') && !target.startsWith('..') && target !== 'index.ts') offending.push(`${f} → ${m[1]}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
