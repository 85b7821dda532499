/** Golden config.json merges: inputs settings.json + the image's config.json (+ context.json). */
import { generateBootFiles } from '../../../src/core/balena/generators.ts';
import { runSamples, sampleContext, sampleSettings } from '../../helpers/run-samples.ts';

runSamples('config-json', (sample) =>
  generateBootFiles(sampleSettings(sample), sampleContext(sample)).filter((f) => f.path === 'config.json'),
);
