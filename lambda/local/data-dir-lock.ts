/**
 * One server per data directory: two processes over the same files would each keep their own catalogue and
 * index from stale state. A lock file holds the owner's pid; a lock left by a process that is gone is taken over.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirectoryError } from './object-store';

export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, '.lock');
  const mine = String(process.pid);
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, mine, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      throw new DataDirectoryError(
        `data directory ${dataDir} is not writable (${code ?? (error as Error).message}); expected a folder this user can write`,
        { cause: error },
      );
    }
    const owner = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new DataDirectoryError(
        `data directory ${dataDir} is in use by another chart-repo serve (pid ${owner}); stop it or choose another --data-dir`,
      );
    }
    writeFileSync(path, mine); // stale: its owner is gone
  }
  return () => {
    try {
      if (readFileSync(path, 'utf8').trim() === mine) unlinkSync(path);
    } catch {
      // already gone
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
