/**
 * YAML loading with go-yaml v2 semantics, as Helm reads Chart.yaml (sigs.k8s.io/yaml over go.yaml.in/yaml/v2):
 * YAML 1.1 plain scalars (`yes`/`on`/`y` are booleans, `0755` is octal, `1_000` is 1000, timestamps stay text),
 * ints kept exact as bigint (they become text in string fields), floats as number. ./fast-yaml reads the common
 * shapes; js-yaml (./go-yaml-full) parses the rest.
 */
import { fastLoadYaml, UNSUPPORTED } from './fast-yaml';
import type { GoYamlValue } from './go-scalar';
import type * as FullParser from './go-yaml-full';

export { resolvePlain, type GoYamlValue } from './go-scalar';

export interface GoYamlOptions {
  readonly filename: string;
  readonly maxDepth: number;
}

let full: typeof FullParser | undefined;

/**
 * The full parser could not be loaded. The CLI loads it from a file of its own beside chart-repo.js
 * (scripts/bundle.mjs), so this is a broken installation, not a property of the YAML being read: callers pass it
 * on rather than reject the text.
 */
export class YamlParserUnavailableError extends Error {
  override readonly name = 'YamlParserUnavailableError';
}

/**
 * The full parser, loaded the first time the fast reader declines: most Chart.yaml and index files never need it
 * (measured: `chart-repo index --merge` into a 10,000-version JSON index, 0.17 s instead of 0.19 s, 1.3 MiB less).
 */
function fullParser(): typeof FullParser {
  if (full) return full;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (see above)
    full = require('./go-yaml-full') as typeof FullParser;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new YamlParserUnavailableError(`the YAML parser could not be loaded (${reason}): reinstall chart-repo`, {
      cause: error,
    });
  }
  return full;
}

/**
 * The first document of `text` (go-yaml's Unmarshal reads one), or null when there is none.
 * Throws js-yaml's YAMLException on syntax errors and when nesting passes `maxDepth`, and
 * YamlParserUnavailableError when the full parser is needed but cannot be loaded.
 */
export function loadGoYaml(text: string, options: GoYamlOptions): GoYamlValue {
  const fast = fastLoadYaml(text, options.maxDepth);
  if (fast !== UNSUPPORTED) return fast;
  return fullParser().loadGoYamlWithJsYaml(text, options);
}
