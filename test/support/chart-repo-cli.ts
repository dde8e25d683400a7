/**
 * Runs the bundled `chart-repo` command (dist/bundle/chart-repo.js, built by `npm run build`) as a user would,
 * in a child process. Tests drive the bundle, not the sources, so they check what ships.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const chartRepoBundle = join(__dirname, '..', '..', 'dist', 'bundle', 'chart-repo.js');

export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runChartRepo(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CommandResult {
  if (!existsSync(chartRepoBundle)) {
    throw new Error(`${chartRepoBundle} is missing; run \`npm run build\` first (npm test does)`);
  }
  const result = spawnSync(process.execPath, [chartRepoBundle, ...args], {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
