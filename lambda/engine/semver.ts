/**
 * SemVer as Helm parses it: github.com/Masterminds/semver/v3 v3.4.0 `NewVersion`, which by default coerces
 * (a leading `v`, missing minor/patch and leading zeros are accepted: `v1.2`, `1`, `01.02.03`), then checks the
 * pre-release and build parts. The npm `semver` package is stricter, so it would reject charts Helm indexes.
 */
export interface SemVer {
  /** Numbers, or bigint past 2^53 (Masterminds allows up to 2^64-1); compare with < and >, not ===. */
  readonly major: number | bigint;
  readonly minor: number | bigint;
  readonly patch: number | bigint;
  /** Pre-release identifiers without the leading `-`, or ''. */
  readonly prerelease: string;
  /** Build metadata without the leading `+`, or ''. */
  readonly build: string;
}

const LOOSE =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const UINT64_MAX = 0xffffffffffffffffn;
const NUMERIC = /^[0-9]+$/;

function segment(text: string | undefined): number | bigint | undefined {
  if (text === undefined) return 0;
  const digits = text.startsWith('.') ? text.slice(1) : text;
  if (digits.length < 16) return Number(digits);
  const value = BigInt(digits);
  if (value > UINT64_MAX) return undefined;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function compareNumbers(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Versions repeat across an index (every chart has a 1.0.0): parse each distinct text once.
const cache = new Map<string, SemVer | null>();
const CACHE_LIMIT = 50_000;

/** Returns undefined where Masterminds' NewVersion returns an error. */
export function parseSemVer(text: string): SemVer | undefined {
  let parsed = cache.get(text);
  if (parsed === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    parsed = parseUncached(text) ?? null;
    cache.set(text, parsed);
  }
  return parsed ?? undefined;
}

function parseUncached(text: string): SemVer | undefined {
  const m = LOOSE.exec(text);
  if (!m) return undefined;
  const major = segment(m[1]);
  const minor = segment(m[2]);
  const patch = segment(m[3]);
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  const prerelease = m[5] ?? '';
  const build = m[8] ?? '';
  // validatePrerelease: numeric identifiers must not have leading zeros (the regex already forbids empty parts).
  if (prerelease && prerelease.split('.').some((p) => NUMERIC.test(p) && p.length > 1 && p[0] === '0')) {
    return undefined;
  }
  return { major, minor, patch, prerelease, build };
}

export function isValidSemVer(text: string): boolean {
  return parseSemVer(text) !== undefined;
}

function comparePart(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  // Masterminds: numeric when it parses as uint64; numeric sorts before alphanumeric.
  const an = NUMERIC.test(a) && BigInt(a) <= UINT64_MAX;
  const bn = NUMERIC.test(b) && BigInt(b) <= UINT64_MAX;
  if (an && bn) return BigInt(a) > BigInt(b) ? 1 : -1;
  if (an) return -1;
  if (bn) return 1;
  return a > b ? 1 : -1;
}

/** Masterminds `Compare`: build metadata is ignored, a pre-release sorts before its release. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  const d = compareNumbers(a.major, b.major) || compareNumbers(a.minor, b.minor) || compareNumbers(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  const ap = a.prerelease.split('.');
  const bp = b.prerelease.split('.');
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const d = comparePart(ap[i] ?? '', bp[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}
