/** Golden NetworkManager keyfiles: every generated file except config.json. */
import { generateBootFiles } from '../../../src/core/balena/generators.ts';
import type { Settings } from '../../../src/core/settings/types.ts';
import { runSamples, sampleContext } from '../../helpers/run-samples.ts';

runSamples('keyfiles', (sample) =>
  generateBootFiles(sample.readJson<Settings>('settings.json'), sampleContext(sample)).filter((f) => f.path !== 'config.json'),
);
