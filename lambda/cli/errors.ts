/** A command line that cannot run as given (bad argument or option): exit status 2, like other usage errors. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
