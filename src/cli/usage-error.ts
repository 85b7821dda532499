/** A mistake in the command line itself (exit 2), as opposed to a problem with the image or settings. */
export class UsageError extends Error {}
