import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledgements of cdk-nag AwsSolutions findings that are deliberate in this construct, each recorded with
 * CDK's own `Validations.of(construct).acknowledge()` on the construct it concerns, with the reason. No cdk-nag
 * dependency: cdk-nag (v3) reads these acknowledgements when an app runs its checks.
 */

/** A resolved CloudFormation value flattened the way cdk-nag names IAM5 findings (`<Logical.Attr>`, `<Ref>`). */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as Record<string, unknown>;
  if (Array.isArray(value['Fn::Join'])) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (value['Fn::Sub'] !== undefined) return flatten(value['Fn::Sub']);
  if (Array.isArray(value['Fn::GetAtt'])) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value['Fn::ImportValue'] !== undefined) return flatten(value['Fn::ImportValue']);
  if (value.Ref !== undefined) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}

/** Acknowledges IAM5 for each wildcard resource ARN (as given to a policy statement) of `principal`'s policy. */
export function acknowledgeWildcardResources(
  principal: IConstruct,
  resourceArns: readonly string[],
  reason: string,
): void {
  const stack = Stack.of(principal);
  for (const arn of resourceArns) {
    const name = flatten(stack.resolve(arn));
    if (name.includes('*')) {
      Validations.of(principal).acknowledge({ id: `AwsSolutions-IAM5[Resource::${name}]`, reason });
    }
  }
}

/** Acknowledges one rule on one construct. */
export function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}
