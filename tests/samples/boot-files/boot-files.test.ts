/** Golden complete boot-partition output (every generator together). */
import { generateBootFiles } from '../../../src/core/balena/generators.ts';
import type { Settings } from '../../../src/core/settings/types.ts';
import { runSamples, sampleContext } from '../../helpers/run-samples.ts';

runSamples('boot-files', (sample) => generateBootFiles(sample.readJson<Settings>('settings.json'), sampleContext(sample)));
