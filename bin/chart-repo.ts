// The `chart-repo` command: bundled to dist/bundle/chart-repo.js (see scripts/bundle.mjs). All logic lives in
// lambda/cli/, so this entry stays a few lines.
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runCli } from '../lambda/cli/program';

// libuv's thread pool (inflate, sha256, file reads) sized to the cores, unless the user sized it. Its default
// of 4 threads on a 2-core machine competes with the main thread (tar walk, Chart.yaml parsing), which then
// feeds the pool late. Indexing 1,000 charts of 200 KB, interleaved runs (noisy host): 1.73-1.91 s wall with 2
// threads, 1.87-2.36 s with 4, same CPU and peak memory. Read when the pool starts (first async I/O).
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(2, availableParallelism()));

// Keep V8's young generation at its initial size. Parsing an index allocates mostly long-lived objects, so a
// young generation grown to 2 x 16 MiB only adds resident memory (measured: --merge of a 10,000-version JSON
// index peaks at 92 MiB instead of 130 MiB, same CPU time). Set before anything allocates much.
setFlagsFromString('--semi-space-growth-factor=1');

// `chart-repo index --help | head -3` closes the pipe early: a reader that has seen enough is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

void runCli(process.argv);
