import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package name in package.json, checked so a wrong folder is a clear error. */
const PACKAGE_NAME = 'cdk-helm-chart-repository';

/**
 * The package's root folder. This file is `lib/package-assets.ts` under ts-jest and
 * `dist/lib/package-assets.js` in an installed package, so the root is one or two folders up. (Walking up to
 * the nearest package.json would stop at dist/, where tsc copies package.json for a JSON import.)
 * @param libDir the folder of this file; tests pass others
 */
export function packageRoot(libDir: string = __dirname): string {
  const parent = path.dirname(libDir);
  const root = path.basename(parent) === 'dist' ? path.dirname(parent) : parent;
  const manifest = path.join(root, 'package.json');
  const name = fs.existsSync(manifest)
    ? (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name
    : undefined;
  if (name !== PACKAGE_NAME) {
    throw new Error(
      `HelmChartRepository: expected the ${PACKAGE_NAME} package at ${root} (from ${libDir}), found ${name === undefined ? 'no package.json' : `package ${JSON.stringify(name)}`}`,
    );
  }
  return root;
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
