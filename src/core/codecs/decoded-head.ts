/** LEGACY path (issue 7): the xz codec still imports the head from here; the kit owns it now. */
export { DecodedHead } from './kit/decoded-head.ts';
