/**
 * Entry of an index worker thread (bundled to dist/bundle/index-worker.js): reads the archives it claims and
 * posts each result to the main thread. See ./index-threads.
 */
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { readClaimedFiles, type ThreadTask } from './index-threads';

if (!parentPort) throw new Error('index-worker runs as a worker thread of chart-repo index');
const port = parentPort;
// A failure is left unhandled on purpose: the main thread receives it as the worker's 'error' event.
void readClaimedFiles(workerData as ThreadTask, (message) => port.postMessage(message), threadId);
