/**
 * The device catalogue for `configure --device`, behind a dynamic import in configure.ts so that a
 * run without --device loads none of it (issue 7, start-up).
 */
export { requireDevice } from '../../core/index.ts';
