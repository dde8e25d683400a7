/**
 * Reads the bundled indexer's structured logs in-process. The handler logs JSON through Powertools to stdout,
 * as it must in Lambda; local mode turns the lines it cares about (rejections, failures) into readable output
 * and keeps the raw JSON off the terminal.
 */

/** One Powertools log entry (the fields local mode reads; others pass through untyped). */
export interface IndexerLogEntry {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/**
 * Diverts the indexer's JSON log lines (Powertools writes info to stdout, warn and error to stderr) and its EMF
 * metric documents to `onEntry`; anything else is written as usual. Returns a function that restores both.
 */
export function captureIndexerLogs(onEntry: (entry: IndexerLogEntry) => void): () => void {
  const restores = [process.stdout, process.stderr].map((stream) => divertStream(stream, onEntry));
  return () => restores.forEach((restore) => restore());
}

function divertStream(stream: NodeJS.WriteStream, onEntry: (entry: IndexerLogEntry) => void): () => void {
  const original = stream.write;
  const write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
    if (text !== undefined && text.startsWith('{')) {
      const kept = text
        .split('\n')
        .filter((line) => !divert(line, onEntry))
        .join('\n');
      if (kept.trim() === '') {
        const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      }
      return original.call(this, kept, ...(rest as [BufferEncoding]));
    }
    return original.call(this, chunk as string, ...(rest as [BufferEncoding]));
  };
  stream.write = write as typeof stream.write;
  return () => {
    stream.write = original;
  };
}

function divert(line: string, onEntry: (entry: IndexerLogEntry) => void): boolean {
  if (!line.startsWith('{')) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const record = parsed as Record<string, unknown>;
  if ('_aws' in record) return true; // an EMF metrics document: meaningless on a laptop
  if (typeof record.level === 'string' && typeof record.message === 'string') {
    onEntry(record as IndexerLogEntry);
    return true;
  }
  return false;
}
