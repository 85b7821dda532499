/** A mistake in the command line itself (exit 2), as opposed to a problem with the image or settings. */
export class UsageError extends Error {}

/** A problem of this machine rather than of the image: an output folder that is missing, say (exit 1). */
export class HostError extends Error {}
