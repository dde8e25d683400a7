/**
 * The `chart-repo` command line: one commander program, one registration line per subcommand. Subcommands
 * load their implementation lazily (dynamic import in their action), so `chart-repo --help` and every other
 * subcommand start without evaluating modules they do not use.
 *
 * Exit status: 0 success (skipped archives included), 1 runtime / I/O error, 2 usage error.
 */
import { Command, CommanderError } from 'commander';
import { isUsageError } from './errors';
import { indexCommand } from './index-command';
import { serveCommand } from './serve-command';
import { version } from '../../package.json';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function createProgram(): Command {
  const program = new Command('chart-repo')
    .description('Build and serve Helm chart repositories (index.yaml) as Helm does, only faster.')
    .version(version)
    .showHelpAfterError('(add --help for usage)');
  program.addCommand(indexCommand());
  program.addCommand(serveCommand());
  for (const command of program.commands) command.exitOverride().showHelpAfterError('(add --help for usage)');
  return program.exitOverride();
}

/** Parses argv, runs the subcommand and sets process.exitCode; never throws. */
export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    await createProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message (or the help / version) already.
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
    } else if (isUsageError(error)) {
      process.stderr.write(`chart-repo: ${error.message}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      process.stderr.write(`chart-repo: error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT_FAILURE;
    }
  }
}
