/** A command line that cannot run as given (bad argument or option): exit status 2, like other usage errors. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Whether `error` is a UsageError. By name, not instanceof: the commands' implementations are bundled to files of
 * their own (scripts/bundle.mjs), each with its own copy of this class.
 */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError';
}
