/**
 * Helm's Metadata.Validate (pkg/chart/v2/metadata.go, dependency.go): the same checks in the same order, and
 * the same sanitizing (whitespace becomes a space, non-printable characters are dropped) of the fields Helm
 * sanitizes, so the index holds what Helm would write.
 */
import { RejectionFault } from './errors';
import type { GoStruct } from './go-decode';
import { isValidSemVer } from './semver';
import type { ChartDependency, ChartMetadata, Maintainer } from './types';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const WHITE_SPACE = /\p{White_Space}/gu;
// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const NOT_PRINTABLE = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/gu;
const ALIAS_NAME = /^[a-zA-Z0-9_-]+$/;

/** sanitizeString: unicode.IsSpace -> ' ', then drop what unicode.IsPrint rejects. */
export function sanitizeString(s: string): string {
  if (PRINTABLE_ASCII.test(s)) return s;
  return s.replace(WHITE_SPACE, ' ').replace(NOT_PRINTABLE, '');
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function sanitizedList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map((s) => sanitizeString(str(s))) : undefined;
}

/** Go's filepath.Base on Unix. */
function baseName(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function invalid(code: ConstructorParameters<typeof RejectionFault>[0], reason: string, expected: string) {
  return new RejectionFault(code, `validation: ${reason}`, expected);
}

function validateMaintainer(m: unknown): Maintainer {
  if (m === undefined || m === null) {
    throw invalid(
      'invalid-maintainer',
      'maintainers must not contain empty or null nodes',
      'each maintainer to be a mapping with a name',
    );
  }
  const s = m as GoStruct;
  return omitEmpty({
    name: sanitizeString(str(s.name)),
    email: sanitizeString(str(s.email)),
    url: sanitizeString(str(s.url)),
  }) as unknown as Maintainer;
}

function validateDependency(d: unknown): ChartDependency {
  if (d === undefined || d === null) {
    throw invalid(
      'invalid-dependency',
      'dependencies must not contain empty or null nodes',
      'each dependency to be a mapping with a name',
    );
  }
  const s = d as GoStruct;
  const name = sanitizeString(str(s.name));
  const alias = str(s.alias);
  if (alias !== '' && !ALIAS_NAME.test(alias)) {
    throw invalid(
      'invalid-dependency',
      `dependency "${name}" has disallowed characters in the alias`,
      'an alias of letters, digits, "_" and "-"',
    );
  }
  // `name` and `repository` have no omitempty in Helm's Dependency struct: they are always written.
  return {
    name,
    ...omitEmpty({ version: sanitizeString(str(s.version)) }),
    repository: sanitizeString(str(s.repository)),
    ...omitEmpty({
      condition: sanitizeString(str(s.condition)),
      tags: sanitizedList(s.tags),
      enabled: s.enabled === true ? true : undefined,
      'import-values': s['import-values'],
      alias,
    }),
  } as ChartDependency;
}

/** Drops Go's omitempty values: '', false, nil and empty slices/maps. */
export function omitEmpty<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out as Partial<T>;
}

export interface ValidateOptions {
  /** Reading an index, Helm lets duplicate dependency names through (JFrog strips aliases, helm/helm#12748). */
  readonly allowDuplicateDependencies?: boolean;
}

/** Validates decoded metadata as Helm does and returns it in index shape (omitempty applied). */
export function validateMetadata(md: GoStruct, options: ValidateOptions = {}): ChartMetadata {
  const name = sanitizeString(str(md.name));
  const apiVersion = str(md.apiVersion);
  const version = str(md.version);
  const type = str(md.type);
  if (apiVersion === '')
    throw invalid('missing-api-version', 'chart.metadata.apiVersion is required', 'apiVersion: v2 (or v1)');
  if (name === '') throw invalid('missing-name', 'chart.metadata.name is required', 'a chart name in Chart.yaml');
  if (name === '.' || name === '..')
    throw invalid(
      'invalid-name',
      `chart.metadata.name "${name}" is not allowed`,
      'a chart name that is not "." or ".."',
    );
  if (name !== baseName(name))
    throw invalid('invalid-name', `chart.metadata.name "${name}" is invalid`, 'a chart name without "/"');
  if (version === '')
    throw invalid('missing-version', 'chart.metadata.version is required', 'a SemVer version in Chart.yaml');
  if (!isValidSemVer(version))
    throw invalid(
      'invalid-version',
      `chart.metadata.version "${version}" is invalid`,
      'a SemVer 2 version such as 1.2.3',
    );
  if (type !== '' && type !== 'application' && type !== 'library') {
    throw invalid('invalid-type', 'chart.metadata.type must be application or library', 'type: application or library');
  }
  const maintainers = Array.isArray(md.maintainers) ? md.maintainers.map(validateMaintainer) : undefined;
  let dependencies: ChartDependency[] | undefined;
  if (Array.isArray(md.dependencies)) {
    dependencies = md.dependencies.map(validateDependency);
    const seen = new Set<string>();
    for (const d of dependencies) {
      const key = d.alias ? d.alias : d.name;
      if (seen.has(key) && !options.allowDuplicateDependencies) {
        throw invalid(
          'duplicate-dependency',
          `more than one dependency with name or alias "${key}"`,
          'unique dependency names or aliases',
        );
      }
      seen.add(key);
    }
  }
  return omitEmpty({
    name,
    home: sanitizeString(str(md.home)),
    sources: sanitizedList(md.sources),
    version,
    description: sanitizeString(str(md.description)),
    keywords: sanitizedList(md.keywords),
    maintainers,
    icon: sanitizeString(str(md.icon)),
    apiVersion,
    condition: sanitizeString(str(md.condition)),
    tags: sanitizeString(str(md.tags)),
    appVersion: sanitizeString(str(md.appVersion)),
    deprecated: md.deprecated === true ? true : undefined,
    annotations: md.annotations as Record<string, string> | undefined,
    kubeVersion: sanitizeString(str(md.kubeVersion)),
    dependencies,
    type,
  }) as unknown as ChartMetadata;
}
