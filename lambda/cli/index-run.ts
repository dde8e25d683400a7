/**
 * What `chart-repo index` does: read the folder's archives, merge into an existing index when asked, write
 * DIR/index.yaml (YAML or JSON) atomically, report skipped archives on stderr.
 */
import { close, closeSync, fstatSync, openSync, read, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RepositoryIndex } from '../engine';
import { spliceJsonMerge } from '../engine/json-index-splice';
import { writeFileAtomic, type FileContent } from './atomic-write';
import { isDirectory } from './chart-files';
import { UsageError } from './errors';
import { keepYoungGenerationSmall, loadGarbageCollector } from './v8-settings';
import type { IndexOptions } from './index-command';
import { indexDirectory } from './index-directory';
import { terminalProgress } from './progress';

/** The index file's content; YAML is written as it is emitted (10,000 versions are 5.5 MB of lines). */
function serialize(index: RepositoryIndex, json: boolean): FileContent {
  const now = new Date();
  return json ? index.toJson(now) : (out) => index.emitYaml(out, now);
}

/** The index to merge into; a missing file is created empty first, as `helm repo index --merge` does. */
async function loadMergeTarget(file: string, json: boolean): Promise<RepositoryIndex> {
  let text: string;
  try {
    // Read synchronously on purpose: nothing else is in flight by then, and node's sync UTF-8 read decodes
    // straight into a string, where an async read first holds the bytes in a Buffer as large as the file (8 MB
    // for a 10,000-version JSON index), dead but uncollected while the index is parsed (measured 94 -> 88 MiB).
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const empty = RepositoryIndex.empty();
    writeFileAtomic(file, serialize(empty, json));
    return empty;
  }
  try {
    await keepYoungGenerationSmall();
    return RepositoryIndex.parse(text, file);
  } catch (error) {
    throw new Error(`merge failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * --merge with --json: the merge file's bytes, for json-index-splice. One read on libuv's pool, started before
 * the charts are read, so it is done by the time they are (a chain of chunked reads would wait for the busy main
 * thread between chunks). Undefined when the file cannot be read whole: then the model path (loadMergeTarget)
 * creates it or reports why.
 */
function readMergeBytes(file: string): Promise<Buffer | undefined> {
  let fd: number;
  try {
    if (!statSync(file).isFile()) return Promise.resolve(undefined); // a pipe is read once, by the model path
    fd = openSync(file, 'r');
  } catch {
    return Promise.resolve(undefined);
  }
  let buffer: Buffer;
  try {
    buffer = Buffer.allocUnsafe(fstatSync(fd).size); // past Buffer's size limit: the model path says why
  } catch {
    closeSync(fd);
    return Promise.resolve(undefined);
  }
  return new Promise((done) => {
    try {
      read(fd, buffer, 0, buffer.length, 0, (error, bytesRead) => {
        close(fd, () => done(error || bytesRead !== buffer.length ? undefined : buffer));
      });
    } catch {
      closeSync(fd); // a length read() refuses (over 2 GiB)
      done(undefined);
    }
  });
}

export async function runIndex(dirArgument: string, options: IndexOptions): Promise<void> {
  const dir = resolve(dirArgument);
  if (!isDirectory(dir)) {
    throw new UsageError(`${dirArgument} is not a directory; expected the folder that holds the chart archives`);
  }
  const json = options.json ?? false;
  const mergeFile = options.merge === undefined ? undefined : resolve(options.merge);
  const mergeBytes = json && mergeFile !== undefined ? readMergeBytes(mergeFile) : undefined;
  const progress = terminalProgress('reading charts');
  const result = await indexDirectory(dir, {
    baseUrl: options.url ?? '',
    threads: options.threads,
    onProgress: (done, total) => progress.update(done, total),
  }).finally(() => progress.clear());
  for (const skipped of result.skipped) process.stderr.write(`skipped ${skipped.reason}\n`);

  const index = RepositoryIndex.empty();
  for (const chart of result.charts) index.add(chart.version, chart.file);
  const out = join(dir, 'index.yaml');
  const bytes = await mergeBytes;
  // The splice leaves a merge file it does not recognise to the model path (index untouched).
  const spliced = bytes && mergeFile !== undefined ? spliceJsonMerge(index, bytes, mergeFile, new Date()) : undefined;
  if (spliced) {
    writeFileAtomic(out, spliced.pieces);
  } else {
    if (mergeFile !== undefined) index.mergeFrom(await loadMergeTarget(mergeFile, json));
    if (!json) await loadGarbageCollector(); // the YAML writer collects as it goes
    writeFileAtomic(out, serialize(index, json));
  }
  if (process.stderr.isTTY) {
    const versions = spliced?.versionCount ?? index.versionCount;
    process.stderr.write(
      `wrote ${out}: ${versions} versions (${result.charts.length} read, ${result.skipped.length} skipped)\n`,
    );
  }
}
