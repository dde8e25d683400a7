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
 * The full parser, loaded the first time the fast reader declines: most Chart.yaml and index files never need it
 * (measured: `chart-repo index --merge` into a 10,000-version JSON index, 0.17 s instead of 0.19 s, 1.3 MiB less).
 */
function fullParser(): typeof FullParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load; esbuild bundles it all the same
  full ??= require('./go-yaml-full') as typeof FullParser;
  return full;
}

/**
 * The first document of `text` (go-yaml's Unmarshal reads one), or null when there is none.
 * Throws js-yaml's YAMLException on syntax errors and when nesting passes `maxDepth`.
 */
export function loadGoYaml(text: string, options: GoYamlOptions): GoYamlValue {
  const fast = fastLoadYaml(text, options.maxDepth);
  if (fast !== UNSUPPORTED) return fast;
  return fullParser().loadGoYamlWithJsYaml(text, options);
}
