// Bundles the runtime entry points with esbuild, so the construct ships a ready Lambda asset
// (consumers never run esbuild or Docker) and the CLI starts without loading a module tree.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';

/** Each entry: source file -> output file. The Lambda asset is a folder holding index.js. */
const entries = [
  { in: 'lambda/indexer/handler.ts', out: 'dist/bundle/indexer/index.js' },
  { in: 'bin/chart-repo.ts', out: 'dist/bundle/chart-repo.js', banner: '#!/usr/bin/env node' },
  // The CLI's index worker threads: found beside chart-repo.js (lambda/cli/index-threads.ts).
  { in: 'lambda/cli/index-worker.ts', out: 'dist/bundle/index-worker.js' },
];

for (const entry of entries) {
  if (!existsSync(entry.in)) throw new Error(`bundle: entry ${entry.in} does not exist`);
  await build({
    entryPoints: [entry.in],
    outfile: entry.out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    minifySyntax: true,
    legalComments: 'linked',
    banner: entry.banner ? { js: entry.banner } : undefined,
    logLevel: 'warning',
  });
  // An entry with a shebang is a command: make it executable (npm links `bin` entries to it).
  if (entry.banner) chmodSync(entry.out, 0o755);
}

// The basic-auth CloudFront Function runs in CloudFront's own JavaScript runtime, not in Node: it ships exactly
// as written (no esbuild wrapper), beside the other runtime bundles so an installed package finds it in dist/.
mkdirSync('dist/bundle/edge', { recursive: true });
copyFileSync('lambda/edge/basic-auth.js', 'dist/bundle/edge/basic-auth.js');
