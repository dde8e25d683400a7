/**
 * Reads repositories the way a user does: the real `helm repo add` + `helm search repo --versions` (and
 * `helm pull`) over anonymous HTTP, with Helm's cache, config and data in a private temp folder.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HelmChartView {
  readonly name: string;
  readonly version: string;
  readonly description: string;
}

export interface HelmView {
  /** `undefined` when helm cannot add the repository (no index.yaml there). */
  search(repoUrl: string): Promise<{ charts?: HelmChartView[]; error?: string }>;
  /** Pulls one chart version; returns the sha256 of the archive helm saved. */
  pull(repoUrl: string, name: string, version: string): Promise<string>;
  close(): void;
}

/** `http://host/bucket/team%20a/` for a prefix: each path segment percent-encoded. */
export function repositoryUrl(endpoint: string, bucket: string, prefix: string): string {
  const path = prefix
    .split('/')
    .filter(Boolean)
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return `${endpoint}/${bucket}${path ? `/${path}` : ''}`;
}

export function startHelmView(helm: string): HelmView {
  const home = mkdtempSync(join(tmpdir(), 'soak-helm-'));
  const env = {
    ...process.env,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  };
  const names = new Map<string, string>();
  const run = (args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile(helm, args, { env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        error ? reject(new Error(`helm ${args.join(' ')}: ${stderr.trim() || error.message}`)) : resolve(stdout),
      ),
    );
  // One alias per repository URL, added once (`repo add` downloads the index; `repo update` refreshes it).
  const alias = async (repoUrl: string): Promise<string> => {
    let name = names.get(repoUrl);
    if (name === undefined) {
      name = `r${names.size}`;
      await run(['repo', 'add', name, repoUrl]);
      names.set(repoUrl, name);
    } else {
      await run(['repo', 'update', name]);
    }
    return name;
  };
  return {
    async search(repoUrl) {
      let name: string;
      try {
        name = await alias(repoUrl);
      } catch (error) {
        return { error: (error as Error).message };
      }
      const out = await run(['search', 'repo', `${name}/`, '--versions', '--devel', '-o', 'json']);
      const rows = JSON.parse(out) as { name: string; version: string; description: string }[];
      return {
        charts: rows
          .filter((row) => row.name.startsWith(`${name}/`))
          .map((row) => ({
            name: row.name.slice(name.length + 1),
            version: row.version,
            description: row.description,
          })),
      };
    },
    async pull(repoUrl, chart, version) {
      const name = names.get(repoUrl) ?? (await alias(repoUrl));
      const destination = mkdtempSync(join(home, 'pull-'));
      await run(['pull', `${name}/${chart}`, '--version', version, '--destination', destination]);
      const [file] = readdirSync(destination);
      return createHash('sha256')
        .update(readFileSync(join(destination, file)))
        .digest('hex');
    },
    close() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}
