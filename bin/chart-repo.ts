// The `chart-repo` command: bundled to dist/bundle/chart-repo.js (see scripts/bundle.mjs). All logic lives in
// lambda/cli/, so this entry stays a single call.
import { runCli } from '../lambda/cli/program';

void runCli(process.argv);
