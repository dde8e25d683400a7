/**
 * readOnThreads with the bundled worker (dist/bundle/index-worker.js, built by `npm run build`): worker threads
 * really read archives, every file is read exactly once, and a failure on a worker reaches the caller.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOnThreads, type ThreadMessage } from '../../lambda/cli/index-threads';
import { generateChartArchive } from '../support/chart-corpus';

const workerBundle = join(__dirname, '..', '..', 'dist', 'bundle', 'index-worker.js');

let dir: string;
let files: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'index-threads-'));
  files = Array.from({ length: 30 }, (_, i) => `c${i}-1.0.0.tgz`);
  files.forEach((file, i) => writeFileSync(join(dir, file), generateChartArchive({ name: `c${i}`, version: '1.0.0' })));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Holds the main thread a little after each of its own results, so the workers surely claim some files. */
function slowOnMainThread(messages: ThreadMessage[]): (message: ThreadMessage) => void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  return (message) => {
    messages.push(message);
    if (message.threadId === 0) Atomics.wait(pause, 0, 0, 10);
  };
}

describe('readOnThreads', () => {
  it('reads every file exactly once, on the main thread and on workers', async () => {
    const messages: ThreadMessage[] = [];
    await readOnThreads({ dir, files, baseUrl: '' }, 3, slowOnMainThread(messages), workerBundle);
    expect(messages.map((m) => m.index).sort((a, b) => a - b)).toEqual(files.map((_, i) => i));
    for (const m of messages) expect(m.result.chart?.version.name).toBe(`c${m.index}`);
    const threads = new Set(messages.map((m) => m.threadId));
    expect(threads.has(0)).toBe(true);
    expect(threads.size).toBeGreaterThanOrEqual(2);
  });

  it('reads everything on the calling thread when there is no worker script', async () => {
    const messages: ThreadMessage[] = [];
    await readOnThreads({ dir, files, baseUrl: '' }, 4, (m) => messages.push(m), join(dir, 'no-worker.js'));
    expect(messages).toHaveLength(files.length);
    expect(new Set(messages.map((m) => m.threadId))).toEqual(new Set([0]));
  });

  it('passes on an I/O error met on a worker thread', async () => {
    const broken = [...files, 'dangling.tgz'];
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.tgz'));
    try {
      // Every file but the last goes to the main thread first; the slow main thread leaves the last to a worker.
      const messages: ThreadMessage[] = [];
      await expect(
        readOnThreads({ dir, files: broken, baseUrl: '' }, 2, slowOnMainThread(messages), workerBundle),
      ).rejects.toThrow(/dangling\.tgz/);
    } finally {
      rmSync(join(dir, 'dangling.tgz'));
    }
  });
});
