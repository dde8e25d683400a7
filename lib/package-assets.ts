import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package name in package.json; the walk up from this file stops at the package that holds it. */
const PACKAGE_NAME = 'cdk-helm-chart-repository';

/**
 * The package's root folder. This file runs as `lib/package-assets.ts` under ts-jest and as
 * `dist/lib/package-assets.js` in an installed package, so the root is found by walking up to our
 * package.json rather than by a fixed number of `..`.
 */
export function packageRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === PACKAGE_NAME) return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`HelmChartRepository: could not find the ${PACKAGE_NAME} package root above ${start}`);
    }
    dir = parent;
  }
}

/** Where `npm run build` (scripts/bundle.mjs) writes the runtime bundles, relative to the package root. */
export const BUNDLE_DIR = path.join('dist', 'bundle');

function bundled(relative: string, what: string, start?: string): string {
  const file = path.join(packageRoot(start), BUNDLE_DIR, relative);
  if (!fs.existsSync(file)) {
    throw new Error(
      `HelmChartRepository: the ${what} bundle ${file} does not exist. ` +
        'Run `npm run build` in the cdk-helm-chart-repository package first (it bundles the runtime code with esbuild).',
    );
  }
  return file;
}

/**
 * The indexer Lambda asset folder: it holds index.js exporting `handler`.
 * @param start where to start looking for the package root (tests); @default - this file's folder
 */
export function indexerAssetDir(start?: string): string {
  return path.dirname(bundled(path.join('indexer', 'index.js'), 'indexer Lambda', start));
}

/** The CloudFront Function source for basic auth, copied verbatim by the build (the edge runtime is not Node). */
export function basicAuthFunctionSource(): string {
  return fs.readFileSync(bundled(path.join('edge', 'basic-auth.js'), 'basic-auth CloudFront Function'), 'utf8');
}
