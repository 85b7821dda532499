/** Golden complete boot-partition output (every generator together). */
import { generateBootFiles } from '../../../src/core/balena/generators.ts';
import { runSamples, sampleContext, sampleSettings } from '../../helpers/run-samples.ts';

runSamples('boot-files', (sample) => generateBootFiles(sampleSettings(sample), sampleContext(sample)));
