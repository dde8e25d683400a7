import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ClientAccess, EksClientKind, RepositoryEncryption, type HelmChartRepository } from '../../lib';
import { asArray, flat, logicalIdOf, roleStatements, synthRepository, WRITE_ACTIONS, type Statement } from './helpers';

const OIDC_ARN =
  'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

/** Statements of a role we made, as [actions, resources, condition] with ARNs flattened to text. */
function summary(statements: Statement[]) {
  return statements.map((s) => ({
    actions: asArray(s.Action).sort(),
    resources: asArray(s.Resource).map(flat),
    condition: s.Condition,
  }));
}

function isWrite(statement: Statement): boolean {
  return asArray(statement.Action).some((action) => WRITE_ACTIONS.test(action));
}

describe('grantRead and grantPublish', () => {
  let reader!: iam.Role;
  let publisher!: iam.Role;
  const { template } = synthRepository({}, (repo: HelmChartRepository, stack: Stack) => {
    reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    publisher = new iam.Role(stack, 'Publisher', { assumedBy: new iam.AccountRootPrincipal() });
    expect(repo.grantRead(reader, 'stable/')).toBeInstanceOf(iam.Grant);
    expect(repo.grantPublish(publisher, 'stable/')).toBeInstanceOf(iam.Grant);
  });
  const bucket = `<${logicalIdOf(template, 'AWS::S3::Bucket', 'ChartsBucket')}.Arn>`;

  test('a reader, statement by statement: get objects under the prefix, list only that prefix, no write at all', () => {
    const statements = roleStatements(template, logicalIdOf(template, 'AWS::IAM::Role', 'Reader'));
    expect(summary(statements)).toEqual([
      { actions: ['s3:GetObject'], resources: [`${bucket}/stable/*`], condition: undefined },
      { actions: ['s3:ListBucket'], resources: [bucket], condition: { StringLike: { 's3:prefix': ['stable/*'] } } },
    ]);
    expect(statements.filter(isWrite)).toEqual([]);
  });

  test('a publisher, statement by statement: put/delete only *.tgz and *.prov under the prefix, never an index', () => {
    const statements = roleStatements(template, logicalIdOf(template, 'AWS::IAM::Role', 'Publisher'));
    expect(summary(statements)).toEqual([
      {
        actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'],
        resources: [`${bucket}/stable/*.tgz`, `${bucket}/stable/*.prov`],
        condition: undefined,
      },
      { actions: ['s3:ListBucket'], resources: [bucket], condition: { StringLike: { 's3:prefix': ['stable/*'] } } },
    ]);
    for (const statement of statements.filter(isWrite)) {
      expect(statement.Effect).toBe('Allow');
      for (const resource of asArray(statement.Resource).map(flat)) {
        expect(resource).toMatch(/\*\.(tgz|prov)$/);
        expect(resource).not.toMatch(/index\.(yaml|json)/);
      }
    }
  });

  test('without a prefix the grants cover every repository and ListBucket is unconditioned', () => {
    const { template: t } = synthRepository({}, (repo, stack) => {
      repo.grantPublish(new iam.Role(stack, 'Anywhere', { assumedBy: new iam.AccountRootPrincipal() }));
    });
    const b = `<${logicalIdOf(t, 'AWS::S3::Bucket', 'ChartsBucket')}.Arn>`;
    expect(summary(roleStatements(t, logicalIdOf(t, 'AWS::IAM::Role', 'Anywhere')))).toEqual([
      {
        actions: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'],
        resources: [`${b}/*.tgz`, `${b}/*.prov`],
        condition: undefined,
      },
      { actions: ['s3:ListBucket'], resources: [b], condition: undefined },
    ]);
  });

  test('with KMS: readers may decrypt, publishers may also generate data keys, on the bucket key only', () => {
    const { template: t } = synthRepository({ encryption: RepositoryEncryption.KMS }, (repo, stack) => {
      repo.grantRead(new iam.Role(stack, 'KmsReader', { assumedBy: new iam.AccountRootPrincipal() }));
      repo.grantPublish(new iam.Role(stack, 'KmsPublisher', { assumedBy: new iam.AccountRootPrincipal() }));
    });
    const key = `<${logicalIdOf(t, 'AWS::KMS::Key', 'ChartsBucketKey')}.Arn>`;
    const kmsOf = (role: string) =>
      summary(
        roleStatements(t, logicalIdOf(t, 'AWS::IAM::Role', role)).filter((s) =>
          asArray(s.Action)[0].startsWith('kms:'),
        ),
      );
    expect(kmsOf('KmsReader')).toEqual([{ actions: ['kms:Decrypt'], resources: [key], condition: undefined }]);
    expect(kmsOf('KmsPublisher')).toEqual([
      { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key], condition: undefined },
    ]);
  });

  test('a prefix outside the indexed repositories or not a folder is refused', () => {
    expect(() =>
      synthRepository({ repositoryPrefixes: ['stable/'] }, (repo, stack) =>
        repo.grantPublish(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }), 'incubator/'),
      ),
    ).toThrow(
      'HelmChartRepository: grantPublish(prefix) is outside the indexed repositories; expected a folder within ["stable/"], received "incubator/"',
    );
    expect(() =>
      synthRepository({}, (repo, stack) =>
        repo.grantRead(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }), 'stable'),
      ),
    ).toThrow(
      /grantRead\(prefix\) is not a repository prefix; expected a folder such as 'stable\/'.*received "stable"/,
    );
  });
});

describe('EKS clients', () => {
  test('IRSA: the role trusts the cluster OIDC provider for exactly one service account', () => {
    let role!: iam.Role;
    const { template } = synthRepository({}, (repo, stack) => {
      role = repo.addEksClient('Flux', {
        kind: EksClientKind.IRSA,
        namespace: 'flux-system',
        serviceAccount: 'source-controller',
        openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc', OIDC_ARN),
        prefixes: ['stable/'],
      });
    });
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'ChartsFlux');
    const trust = template.findResources('AWS::IAM::Role')[roleId].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: OIDC_ARN },
    });
    // The condition keys hold the issuer, a token for an imported provider: CfnJson resolves them at deploy time.
    const conditions = template.findResources('Custom::AWSCDKCfnJson');
    const value = JSON.stringify(Object.values(conditions)[0].Properties.Value);
    expect(value).toContain(':sub\\":\\"system:serviceaccount:flux-system:source-controller\\"');
    expect(value).toContain(':aud\\":\\"sts.amazonaws.com\\"');
    const statements = roleStatements(template, roleId);
    expect(statements.filter(isWrite)).toEqual([]);
    expect(role.node.path).toBe('Test/Charts/Flux');
  });

  test('Pod Identity: the role trusts pods.eks.amazonaws.com with TagSession, bound by an association', () => {
    const { template } = synthRepository({}, (repo) => {
      repo.addEksClient('Publisher', {
        kind: EksClientKind.POD_IDENTITY,
        clusterName: 'platform',
        namespace: 'ci',
        serviceAccount: 'chart-publisher',
        access: ClientAccess.PUBLISH,
        prefixes: ['stable/', 'incubator/'],
      });
    });
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'ChartsPublisher');
    const trust = template.findResources('AWS::IAM::Role')[roleId].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Condition: {
          StringEquals: {
            'aws:RequestTag/eks-cluster-name': 'platform',
            'aws:RequestTag/kubernetes-namespace': 'ci',
            'aws:RequestTag/kubernetes-service-account': 'chart-publisher',
          },
        },
      },
    ]);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: 'platform',
      Namespace: 'ci',
      ServiceAccount: 'chart-publisher',
      RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    const bucket = `<${logicalIdOf(template, 'AWS::S3::Bucket', 'ChartsBucket')}.Arn>`;
    const writes = roleStatements(template, roleId).filter(isWrite);
    expect(writes.flatMap((s) => asArray(s.Resource).map(flat)).sort()).toEqual([
      `${bucket}/incubator/*.prov`,
      `${bucket}/incubator/*.tgz`,
      `${bucket}/stable/*.prov`,
      `${bucket}/stable/*.tgz`,
    ]);
  });

  test.each([
    [{ kind: EksClientKind.IRSA }, /openIdConnectProvider is missing; expected the cluster's IAM OIDC provider/],
    [{ kind: EksClientKind.POD_IDENTITY }, /clusterName is missing; expected the EKS cluster name/],
    [
      { kind: EksClientKind.POD_IDENTITY, clusterName: 'c', namespace: 'Kube_System' },
      /namespace is not a valid Kubernetes name; expected a DNS-1123 label.*received "Kube_System"/,
    ],
    [{ kind: EksClientKind.POD_IDENTITY, clusterName: 'c', prefixes: [] }, /prefixes is empty/],
  ])('bad options are refused: %o', (options, message) => {
    expect(() =>
      synthRepository({}, (repo) =>
        repo.addEksClient('Bad', { namespace: 'apps', serviceAccount: 'reader', ...options } as Parameters<
          HelmChartRepository['addEksClient']
        >[1]),
      ),
    ).toThrow(message);
  });
});

describe('EC2 clients', () => {
  test('a role for ec2.amazonaws.com with an instance profile, reading by default', () => {
    const { template } = synthRepository({}, (repo) => {
      const client = repo.addEc2Client('Builders');
      expect(client.instanceProfile.role).toBe(client.role);
    });
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'ChartsBuilders');
    expect(template.findResources('AWS::IAM::Role')[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } },
    ]);
    template.hasResourceProperties('AWS::IAM::InstanceProfile', { Roles: [{ Ref: roleId }] });
    expect(roleStatements(template, roleId).filter(isWrite)).toEqual([]);
  });
});
