// The `chart-repo` command: bundled to dist/bundle/chart-repo.js (see scripts/bundle.mjs). All logic lives in
// lambda/cli/, so this entry stays a few lines.
import { runCli } from '../lambda/cli/program';

// `chart-repo index --help | head -3` closes the pipe early: a reader that has seen enough is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

void runCli(process.argv);
