/**
 * Why an archive was not indexed. Codes are stable and machine-readable (metrics, tests, logs); the message is
 * for people: the file, what was wrong, what was expected.
 */
export type RejectionCode =
  | 'empty-file'
  | 'not-gzip'
  | 'corrupt-gzip'
  | 'truncated'
  | 'not-tar'
  | 'corrupt-tar'
  | 'unsupported-entry'
  | 'archive-too-large'
  | 'chart-too-large'
  | 'file-too-large'
  | 'absolute-path'
  | 'path-traversal'
  | 'outside-chart'
  | 'illegal-file-name'
  | 'no-files'
  | 'missing-chart-yaml'
  | 'invalid-yaml'
  | 'yaml-alias-bomb'
  | 'yaml-too-deep'
  | 'invalid-field-type'
  | 'missing-api-version'
  | 'missing-name'
  | 'invalid-name'
  | 'missing-version'
  | 'invalid-version'
  | 'invalid-type'
  | 'invalid-maintainer'
  | 'invalid-dependency'
  | 'duplicate-dependency'
  | 'invalid-values'
  | 'invalid-lock'
  | 'invalid-subchart';

/** A chart archive that Helm would not load, so it is not indexed. Any other error (I/O) is not a rejection. */
export class ChartRejectedError extends Error {
  override readonly name = 'ChartRejectedError';

  constructor(
    /** The archive, as the caller named it (key or path). */
    readonly file: string,
    readonly code: RejectionCode,
    /** What was wrong. */
    readonly reason: string,
    /** What a valid chart archive has instead. */
    readonly expected: string,
  ) {
    super(`${file}: ${reason}; expected ${expected}`);
  }
}

/**
 * A rejection found below the archive layer (YAML, metadata), before the file name is known there.
 * readChartArchive turns it into a ChartRejectedError naming the archive.
 */
export class RejectionFault extends Error {
  constructor(
    readonly code: RejectionCode,
    readonly reason: string,
    readonly expected: string,
  ) {
    super(reason);
  }

  toRejection(file: string): ChartRejectedError {
    return new ChartRejectedError(file, this.code, this.reason, this.expected);
  }
}

export function isRejected(error: unknown): error is ChartRejectedError {
  return error instanceof ChartRejectedError;
}
