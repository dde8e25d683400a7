import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HelmChartRepository, type HelmChartRepositoryProps } from '../../lib';

/** An IAM policy statement as it appears in a synthesized template. */
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface Synthesized {
  app: App;
  stack: Stack;
  repo: HelmChartRepository;
  template: Template;
}

/**
 * A test app: asset metadata on and staging off, so a Lambda's `aws:asset:path` metadata is the real source
 * folder (what the construct wired), not a staged copy.
 */
export function testApp(): App {
  return new App({ context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:disable-asset-staging': true } });
}

/** A stack holding one repository; `extend` may add clients or grants before the template is taken. */
export function synthRepository(
  props: HelmChartRepositoryProps | ((stack: Stack) => HelmChartRepositoryProps) = {},
  extend?: (repo: HelmChartRepository, stack: Stack) => void,
): Synthesized {
  const app = testApp();
  const stack = new Stack(app, 'Test');
  const repo = new HelmChartRepository(stack, 'Charts', typeof props === 'function' ? props(stack) : props);
  extend?.(repo, stack);
  return { app, stack, repo, template: Template.fromStack(stack) };
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every statement of every AWS::IAM::Policy attached to the role with this logical id. */
export function roleStatements(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => asArray(policy.Properties.Roles).some((role) => JSON.stringify(role).includes(roleLogicalId)))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** The single resource of a type; fails when there are none or several. */
type TemplateResource = ReturnType<Template['findResources']>[string];

export function onlyResource(template: Template, type: string): { id: string; resource: TemplateResource } {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return { id: found[0][0], resource: found[0][1] };
}

/** The logical id of the only resource of a type whose id starts with the given text. */
export function logicalIdOf(template: Template, type: string, startsWith: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(startsWith));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} starting ${startsWith}, found ${ids.join(', ') || 'none'}`);
  return ids[0];
}

/** A CloudFormation value flattened to text, so resource patterns can be compared as strings. */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = (value ?? {}) as { 'Fn::Join'?: [string, unknown[]]; 'Fn::GetAtt'?: [string, string]; Ref?: string };
  if (v['Fn::Join']) return v['Fn::Join'][1].map(flat).join(v['Fn::Join'][0]);
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}>`;
  if (v.Ref) return `<${v.Ref}>`;
  return JSON.stringify(value);
}

export const WRITE_ACTIONS = /^s3:(Put|Delete|Abort|Restore|Replicate|ObjectOwnerOverride)|^s3:\*$|^\*$/;
