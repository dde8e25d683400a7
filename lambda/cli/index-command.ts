/**
 * `chart-repo index DIR [--url URL] [--merge FILE] [--json]`: the command-line definition. The work is in
 * ./index-run, loaded when the command runs.
 */
import { Command, InvalidArgumentError } from 'commander';

export interface IndexOptions {
  readonly url?: string;
  readonly merge?: string;
  readonly json?: boolean;
  readonly threads?: number;
}

/** Paragraphs: commander wraps them to the terminal width. */
const DESCRIPTION = [
  'Read DIR, build an index of the chart archives found there and write it to DIR/index.yaml, with the same ' +
    'meaning as `helm repo index DIR` with the same flags.',
  'Archives are the *.tgz files in DIR and in its direct sub-folders (as Helm globs them); an archive in ' +
    'DIR/team/ gets the url team/<file>. Each entry\'s "created" time is the archive\'s modification time, so ' +
    're-indexing an unchanged folder does not rewrite history. A file that is not a chart Helm would load is ' +
    'skipped and reported on stderr with the reason; skipping does not fail the command.',
  'With --merge, the charts found in DIR are merged into the index FILE: an entry of FILE is kept unless DIR ' +
    'holds the same chart name at the same version (DIR wins). If FILE does not exist, an empty index is ' +
    'written there first (as Helm does). The result goes to DIR/index.yaml; FILE itself is not changed.',
  'With --json the index is written as JSON (still to DIR/index.yaml), as `helm repo index --json` does: Helm ' +
    'detects it and reads it many times faster than YAML.',
].join('\n\n');

const AFTER_HELP = `
Exit status:
  0  success, also when archives were skipped
  1  I/O error, or a --merge file that is not an index
  2  usage error

Examples:
  chart-repo index ./charts
  chart-repo index ./charts --url https://charts.example.com/stable
  chart-repo index ./new --merge ./site/index.yaml --json`;

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected a whole number >= 1');
  return parsed;
}

export function indexCommand(): Command {
  return new Command('index')
    .summary('write DIR/index.yaml for the chart archives in DIR (like helm repo index)')
    .description(DESCRIPTION)
    .argument('<DIR>', 'folder holding the packaged charts (*.tgz)')
    .option('--url <URL>', 'url of the chart repository: entries get absolute urls under it')
    .option('--merge <FILE>', 'merge the generated index into the index FILE (charts in DIR win)')
    .option('--json', 'write the index as JSON (Helm reads it far faster)')
    .option('--threads <N>', 'threads reading archives (default: one per core)', positiveInteger)
    .addHelpText('after', AFTER_HELP)
    .action(async (dir: string, options: IndexOptions) => {
      const { runIndex } = await import('./index-run');
      await runIndex(dir, options);
    });
}
