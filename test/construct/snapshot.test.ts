/**
 * A snapshot of the default repository's template, to review every change to what `cdk deploy` creates.
 * The serializer strips asset hashes (they change with every handler build) so the snapshot only moves when
 * the infrastructure does.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HelmChartRepository } from '../../lib';

const NORMALIZED = Symbol('normalized');

/** Asset hashes (S3 keys), and the code hash CDK appends to the logical id of a function's current version. */
export function stripAssetHashes(text: string): string {
  return text
    .replace(/[0-9a-f]{64}/g, '[ASSET-HASH]')
    .replace(/(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}/g, '$1[CODE-HASH]');
}

expect.addSnapshotSerializer({
  test: (value: unknown) =>
    typeof value === 'object' && value !== null && 'Resources' in value && !(NORMALIZED in value),
  serialize: (value: unknown, config, indentation, depth, refs, printer) => {
    const normalized = JSON.parse(stripAssetHashes(JSON.stringify(value))) as object;
    // Marked (not enumerable, so not printed) so this serializer does not take it up again.
    Object.defineProperty(normalized, NORMALIZED, { value: true });
    return printer(normalized, config, indentation, depth, refs);
  },
});

test('the serializer strips asset and code hashes', () => {
  const hash = 'a'.repeat(64);
  expect(stripAssetHashes(`{"S3Key":"${hash}.zip","Ref":"FnCurrentVersion0A1B2C3D${'f'.repeat(32)}"}`)).toBe(
    '{"S3Key":"[ASSET-HASH].zip","Ref":"FnCurrentVersion0A1B2C3D[CODE-HASH]"}',
  );
});

test('default repository template', () => {
  const stack = new Stack(new App(), 'Snapshot');
  new HelmChartRepository(stack, 'Charts');
  expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
});
