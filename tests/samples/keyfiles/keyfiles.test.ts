/** Golden NetworkManager keyfiles: every generated file except config.json. */
import { generateBootFiles } from '../../../src/core/balena/generators.ts';
import { runSamples, sampleContext, sampleSettings } from '../../helpers/run-samples.ts';

runSamples('keyfiles', (sample) =>
  generateBootFiles(sampleSettings(sample), sampleContext(sample)).filter((f) => f.path !== 'config.json'),
);
