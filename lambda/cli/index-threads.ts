/**
 * Reading a folder's archives on several threads: the main thread and worker threads take the next file from a
 * shared counter until none is left, so no thread waits for another to hand it work. Each thread inflates and
 * hashes its archives itself (the engine's in-memory path runs on the calling thread).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ReusedBufferReader } from './file-reader';
import { collectYoungGeneration, loadGarbageCollector, tuneForArchiveReading } from './v8-settings';
import { readChartFile, type ReadResult } from './read-chart-file';

/** What a worker is started with (workerData). */
export interface ThreadTask {
  readonly dir: string;
  readonly files: readonly string[];
  readonly baseUrl: string;
  /** One Int32: the index of the next file to claim. */
  readonly claims: SharedArrayBuffer;
}

/** The result for files[index], and the thread that read it (0: the main thread). */
export interface ThreadMessage {
  readonly index: number;
  readonly result: ReadResult;
  readonly threadId: number;
}

/**
 * The worker bundle, built beside the CLI bundle (dist/bundle/index-worker.js). Run from the TypeScript sources
 * (unit tests) there is none, and the calling thread reads every archive.
 */
const WORKER_SCRIPT = join(__dirname, 'index-worker.js');

const YIELD_EVERY = 16;

/** Claims files and reads them until none is left; `onResult` gets each one. Used by every thread. */
export async function readClaimedFiles(
  task: ThreadTask,
  onResult: (message: ThreadMessage) => void,
  threadId = 0,
): Promise<void> {
  const claims = new Int32Array(task.claims);
  const reader = new ReusedBufferReader();
  if (task.files.length > 1) await loadGarbageCollector(); // a --merge run reading one archive loads nothing
  let read = 0;
  for (let index = Atomics.add(claims, 0, 1); index < task.files.length; index = Atomics.add(claims, 0, 1)) {
    if (read++ > 0) collectYoungGeneration(); // the previous archive's buffers
    const result = await readChartFile(task.dir, task.files[index], task.baseUrl, reader);
    onResult({ index, result, threadId });
    // Reading is synchronous (./file-reader): let the main thread take in the workers' results now and then,
    // so progress counts them as they come.
    if (index % YIELD_EVERY === 0) await new Promise(setImmediate);
  }
}

async function runWorker(script: string, task: ThreadTask, onResult: (message: ThreadMessage) => void): Promise<void> {
  // Loaded only when there are workers to start: one archive (a --merge run) needs none.
  const { Worker } = await import('node:worker_threads');
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: task });
    worker.on('message', onResult);
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`index worker exited with ${code}`))));
  });
}

/** Reads every file of `task` on `threads` threads (this one included); results by file index. */
export async function readOnThreads(
  task: Omit<ThreadTask, 'claims'>,
  threads: number,
  onResult: (message: ThreadMessage) => void,
  workerScript = WORKER_SCRIPT,
): Promise<void> {
  // Before the workers start: some settings apply to new isolates. One archive (a --merge run) gains nothing from
  // them and would pay for loading node:v8.
  const restoreV8 = task.files.length > 1 ? await tuneForArchiveReading() : () => undefined;
  const shared: ThreadTask = { ...task, claims: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT) };
  const workers = existsSync(workerScript) ? Math.min(threads, task.files.length) - 1 : 0;
  // A failing thread runs the counter out, so the others stop after their current file; the error surfaces once
  // all have stopped, so no worker is left reading after the command has reported.
  const stopOthers = (error: unknown): never => {
    Atomics.store(new Int32Array(shared.claims), 0, task.files.length);
    throw error;
  };
  const running = [
    readClaimedFiles(shared, onResult).catch(stopOthers),
    ...Array.from({ length: Math.max(0, workers) }, () => runWorker(workerScript, shared, onResult).catch(stopOthers)),
  ];
  const outcomes = await Promise.allSettled(running).finally(restoreV8);
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
}
