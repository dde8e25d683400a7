/**
 * Helm's path checks on each archive entry (pkg/chart/loader/archive/archive.go LoadArchiveFiles): the first path
 * element is the chart folder and is dropped, whatever its name; what remains must stay inside it.
 */
import { RejectionFault } from './errors';

const DRIVE_PATH = /^[a-zA-Z]:\//;

/** Go's path.Clean. */
const NEEDS_CLEANING = /\/\/|(?:^|\/)\.\.?(?:\/|$)|\/$/;

export function cleanPath(p: string): string {
  if (p === '') return '.';
  if (!NEEDS_CLEANING.test(p)) return p;
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else {
      out.push(part);
    }
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** The entry's path inside the chart folder, or a rejection where Helm refuses the archive. */
export function chartPath(entryName: string): string {
  // An archive made on Windows may use "\" as the separator.
  let first: string;
  let n: string;
  if (entryName.includes('\\')) {
    const parts = entryName.split('\\');
    first = parts[0];
    n = parts.slice(1).join('/');
  } else {
    const slash = entryName.indexOf('/');
    first = slash === -1 ? entryName : entryName.slice(0, slash);
    n = slash === -1 ? '' : entryName.slice(slash + 1);
  }
  if (n.startsWith('/')) {
    throw new RejectionFault(
      'absolute-path',
      `chart illegally contains absolute paths ("${entryName}")`,
      'paths relative to the chart folder',
    );
  }
  n = cleanPath(n);
  if (n === '.') {
    throw new RejectionFault(
      'outside-chart',
      `chart illegally contains content outside the base directory: "${entryName}"`,
      'every file inside one chart folder (<name>/...)',
    );
  }
  if (n.startsWith('..')) {
    throw new RejectionFault(
      'path-traversal',
      `chart illegally references parent directory ("${entryName}")`,
      'no ".." in entry paths',
    );
  }
  if (DRIVE_PATH.test(n)) {
    throw new RejectionFault(
      'illegal-file-name',
      `chart contains illegally named files ("${entryName}")`,
      'no drive letters in entry paths',
    );
  }
  if (first === 'Chart.yaml') {
    throw new RejectionFault(
      'outside-chart',
      'chart yaml not in base directory',
      'Chart.yaml inside the chart folder (<name>/Chart.yaml)',
    );
  }
  return n;
}
