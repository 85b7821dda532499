/** The golden-sample runner validates each case's settings; INVALID_ON_PURPOSE must say why and stay true. */
import { describe, expect, it } from 'vitest';
import { INVALID_MARKER, sampleSettings, type SampleCase } from '../../helpers/run-samples.ts';

/** A case folder in memory: settings.json and, optionally, the marker. */
function sample(name: string, settings: unknown, marker?: string): SampleCase {
  const readText = (file: string) => (file === 'settings.json' ? JSON.stringify(settings) : file === INVALID_MARKER ? marker : undefined);
  return { name, dir: `/samples/${name}`, readText, readJson: <T>(file: string) => JSON.parse(readText(file)!) as T };
}

const bad = { version: 1, hostname: 'Bad_Name' };

describe('sampleSettings', () => {
  it('valid settings pass', () => expect(sampleSettings(sample('ok', { version: 1, hostname: 'ok' }))).toEqual({ version: 1, hostname: 'ok' }));
  it('invalid settings without a marker fail, naming the issue', () => expect(() => sampleSettings(sample('bad', bad))).toThrow(/hostname: .*add INVALID_ON_PURPOSE/));
  it('a marker with its reason lets an invalid case through', () => expect(sampleSettings(sample('marked', bad, 'pins the generator on a name it must still escape\n'))).toEqual(bad));
  it('a marker on valid settings is stale', () => expect(() => sampleSettings(sample('stale', { version: 1 }, 'reason'))).toThrow(/validator accepts/));
  it('a marker must say why', () => expect(() => sampleSettings(sample('mute', bad, '  \n'))).toThrow(/must say why/));
});
