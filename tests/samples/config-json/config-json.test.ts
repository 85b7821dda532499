/** Golden config.json merges: inputs settings.json + the image's config.json (+ context.json). */
import { generateBootFiles } from '../../../src/core/balena/generators.ts';
import type { Settings } from '../../../src/core/settings/types.ts';
import { runSamples, sampleContext } from '../../helpers/run-samples.ts';

runSamples('config-json', (sample) =>
  generateBootFiles(sample.readJson<Settings>('settings.json'), sampleContext(sample)).filter((f) => f.path === 'config.json'),
);
