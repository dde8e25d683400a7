/**
 * V8 settings for the index command. node:v8 and node:vm are loaded on first use only: with the streams
 * they pull in, they cost a few milliseconds of startup that `chart-repo index --merge x.json --json` (0.15 s in
 * all) would otherwise pay for nothing.
 */
import { parseTarHeader } from '../engine/tar-header';

type CollectGarbage = (options?: { type: 'minor' | 'major' }) => void;

/** V8's gc(): undefined until loadGarbageCollector, null where the runtime has none. */
let collect: CollectGarbage | null | undefined;

/** Makes collectYoungGeneration work on this thread (until then it does nothing). */
export async function loadGarbageCollector(): Promise<void> {
  if (collect !== undefined) return;
  try {
    const [{ setFlagsFromString }, { runInNewContext }] = await Promise.all([import('node:v8'), import('node:vm')]);
    // Exposed at run time, so that a plain `node chart-repo.js` gets it too, not only runs with --expose-gc.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as CollectGarbage;
  } catch {
    collect = null; // a runtime without it: memory is higher, nothing breaks
  }
}

/**
 * Frees what this thread has just finished with. Reading, each archive leaves its inflated tar behind as external
 * (off-heap) memory, about 600 KB for a 200 KB chart; V8 frees it only when it collects the buffer's small JS
 * handle, and left to itself lets 20-25 MiB of dead buffers pile up first. Writing an index, each batch of lines
 * is garbage once written, and left to itself V8 fills (and keeps resident) its whole young generation, grown to
 * 8 MiB by then, before collecting. A young-generation collection takes well under a millisecond when nearly all
 * it finds is garbage: 1,000 archives of 200 KB on two threads peaked at 75 MiB instead of 80 (collecting every
 * fifth archive), and writing their index at 66 MiB instead of 71.
 */
export function collectYoungGeneration(): void {
  collect?.({ type: 'minor' });
}

/**
 * Keeps V8's young generation at its initial size from now on. Parsing a large index allocates mostly
 * long-lived objects, so a young generation grown to 2 x 16 MiB only adds resident memory: --merge into a
 * 10,000-version YAML index peaks at 124 MiB instead of 148, in the same time.
 */
export async function keepYoungGenerationSmall(): Promise<void> {
  (await import('node:v8')).setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * V8 flags while archives are read, each with the V8 default that undoes it. A flag given on node's own command
 * line (`node --no-parallel-scavenge chart-repo.js ...`) is the user's choice, and left as given. V8's
 * defaults suit long-running programs; reading archives is short, mostly native work (inflate, sha256) on every
 * core, with a young-generation collection after each archive. Measured on 2 cores, 1,000 archives of 200 KB: peak
 * 70 MiB instead of 74, and about a tenth less CPU.
 */
const WHILE_READING: readonly (readonly [string, string])[] = [
  // The optimizing compiler compiled some 80 functions here. Each compile leaves zone memory in a helper thread's
  // malloc arena and pulls more compiler code into memory (3-4 MiB in all), while only the tar header parser, run
  // for every entry of every archive, gains much from it. Maglev (on by default from node 22) is held to the same.
  [`--turbo-filter=${parseTarHeader.name}`, '--turbo-filter=*'],
  [`--maglev-filter=${parseTarHeader.name}`, '--maglev-filter=*'],
  // A collection that finds one dead archive is cheaper on this thread than handed to helper threads, which the
  // other reading threads need: GC time halved.
  ['--no-parallel-scavenge', '--parallel-scavenge'],
  ['--no-concurrent-array-buffer-sweeping', '--concurrent-array-buffer-sweeping'],
  // Read when an isolate starts, so they apply to the worker threads only (and the undo to none, as no isolate
  // starts after reading). Each new isolate would map its own copy of V8's builtins: 1 MiB each. And a worker
  // compiles its one optimized function on its own thread, so the compiler's memory stays in that thread's malloc
  // arena rather than growing a helper thread's (1 MiB less, 11 interleaved runs).
  ['--no-short-builtin-calls', '--short-builtin-calls'],
  ['--no-concurrent-recompilation', '--concurrent-recompilation'],
];

/** A flag's name as V8 matches it: no leading dashes, no value, "_" read as "-", no "no-" or "no" negation. */
function flagName(flag: string): string {
  return flag.replace(/^--?/, '').replace(/=.*/s, '').replace(/_/g, '-').replace(/^no-?/, '');
}

/** WHILE_READING without the flags named on node's command line (NODE_OPTIONS admits none of these). */
export function settingsToApply(execArgv: readonly string[]): readonly (readonly [string, string])[] {
  const given = new Set(execArgv.map(flagName));
  return WHILE_READING.filter(([flag]) => !given.has(flagName(flag)));
}

/** Applies settingsToApply; returns what restores V8's defaults (--merge then parses a large index). */
export async function tuneForArchiveReading(execArgv: readonly string[] = process.execArgv): Promise<() => void> {
  const { setFlagsFromString } = await import('node:v8');
  const applied = settingsToApply(execArgv);
  for (const [flag] of applied) setFlagsFromString(flag);
  return () => {
    for (const [, undo] of applied) setFlagsFromString(undo);
  };
}
