/**
 * The chart source folders of the parity corpus: each covers something Chart.yaml can say. `helm package`
 * packages them (it checks that every dependency is present under charts/, so specs with dependencies ship
 * their subcharts as folders).
 */
import type { ChartFolderSpec } from './chart-corpus';

function subcharts(...names: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of names) {
    files[`charts/${name}/Chart.yaml`] = `apiVersion: v2\nname: ${name}\nversion: 1.2.3\n`;
    files[`charts/${name}/values.yaml`] = 'enabled: true\n';
  }
  return files;
}

function chart(id: string, body: string, extra: Partial<ChartFolderSpec> = {}): ChartFolderSpec {
  return { id, chartYaml: body, ...extra };
}

const v2 = (name: string, version = '1.0.0') => `apiVersion: v2\nname: ${name}\nversion: ${version}\n`;

/** At least 40 chart folders; ids are unique, names may repeat (several versions of one chart). */
export function chartFolderSpecs(): ChartFolderSpec[] {
  const specs: ChartFolderSpec[] = [
    chart('minimal', v2('minimal')),
    chart(
      'full-metadata',
      `${v2('full-metadata', '2.3.4')}description: A chart that says everything
home: https://example.com/full
icon: https://example.com/icon.png
sources:
  - https://github.com/example/full
  - https://example.com/src
keywords: [web, "http", proxy]
maintainers:
  - name: Ada Lovelace
    email: ada@example.com
    url: https://example.com/ada
  - name: Only Name
appVersion: "v2.3.4"
kubeVersion: ">=1.22.0-0"
type: application
annotations:
  category: Infrastructure
  artifacthub.io/license: Apache-2.0
  artifacthub.io/changes: |
    - kind: added
      description: a multi-line annotation
`,
    ),
    chart('library', `${v2('library')}type: library\ndescription: helpers only\n`, {
      files: { 'templates/_helpers.tpl': '{{- define "lib.name" -}}x{{- end }}\n', 'templates/deployment.yaml': '' },
    }),
    chart('deprecated', `${v2('deprecated')}deprecated: true\ndescription: do not use\n`),
    chart('not-deprecated', `${v2('not-deprecated')}deprecated: false\n`),
    chart('kube-version', `${v2('kube-version')}kubeVersion: ">= 1.19.0 < 1.30.0"\n`),
    chart(
      'icon-home',
      `${v2('icon-home')}icon: data:image/png;base64,iVBORw0KGgo=\nhome: https://example.com/?q=1&r=2\n`,
    ),
    chart(
      'dependencies',
      `${v2('dependencies')}dependencies:
  - name: redis
    version: ">=17.0.0 <18.0.0"
    repository: https://charts.example.com/stable
  - name: postgresql
    version: 12.x.x
    repository: oci://registry.example.com/charts
`,
      { files: subcharts('redis', 'postgresql') },
    ),
    chart(
      'dependency-alias',
      `${v2('dependency-alias')}dependencies:
  - name: redis
    version: 1.2.3
    repository: "@stable"
    alias: cache
  - name: redis
    version: 1.2.3
    repository: "@stable"
    alias: queue
`,
      { files: subcharts('redis') },
    ),
    chart(
      'dependency-condition-tags',
      `${v2('dependency-condition-tags')}dependencies:
  - name: metrics
    version: ~1.2.0
    repository: file://../metrics
    condition: metrics.enabled,global.metrics.enabled
    tags: [monitoring, optional]
    enabled: true
`,
      { files: subcharts('metrics') },
    ),
    chart(
      'dependency-import-values',
      `${v2('dependency-import-values')}dependencies:
  - name: child
    version: 1.2.3
    repository: https://charts.example.com
    import-values:
      - data
      - child: defaults.image
        parent: image
`,
      { files: subcharts('child') },
    ),
    chart('chart-condition-tags', `${v2('chart-condition-tags')}condition: app.enabled\ntags: frontend\n`),
    chart('v1-chart', `apiVersion: v1\nname: v1-chart\nversion: 0.1.0\ndescription: Helm 2 era chart\n`),
    chart('v1-requirements', `apiVersion: v1\nname: v1-requirements\nversion: 0.2.0\nappVersion: "1.0"\n`, {
      files: {
        'requirements.yaml':
          'dependencies:\n  - name: mysql\n    version: 1.x\n    repository: https://charts.example.com\n    condition: mysql.enabled\n',
        ...subcharts('mysql'),
      },
    }),
    chart('prerelease', v2('prerelease', '1.0.0-alpha.1')),
    chart('prerelease-build', v2('prerelease', '1.0.0-rc.1+build.5')),
    chart('build-metadata', v2('build-metadata', '2.0.0+20240101.sha.5114f85')),
    chart('build-metadata-2', v2('build-metadata', '2.1.0+exp.sha')),
    chart('leading-v', v2('leading-v', 'v1.2.3')),
    chart('short-version', v2('short-version', '1.2')),
    chart('big-numbers', v2('big-numbers', '10.200.3000')),
    chart('appversion-1.10', `${v2('appversion-1.10')}appVersion: "1.10"\n`),
    chart('appversion-1.0', `${v2('appversion-1.0')}appVersion: "1.0"\n`),
    chart('appversion-010', `${v2('appversion-010')}appVersion: "010"\n`),
    chart('appversion-1e3', `${v2('appversion-1e3')}appVersion: "1e3"\n`),
    chart('appversion-true', `${v2('appversion-true')}appVersion: "true"\n`),
    chart('appversion-plus', `${v2('appversion-plus')}appVersion: 1.0.0+abc\n`),
    chart('unicode', `${v2('unicode')}description: "Ünïcödé 日本語 ✓ 🚀"\nmaintainers:\n  - name: José Núñez\n`),
    chart('multiline-description', `${v2('multiline-description')}description: |\n  line one\n  line two\n`),
    chart('tabs-description', `${v2('tabs-description')}description: "a\\tb  c"\n`),
    chart('long-description', `${v2('long-description')}description: ${'long '.repeat(200).trim()}\n`),
    chart(
      'annotations-quoted',
      `${v2('annotations-quoted')}annotations:\n  "example.com/number": "42"\n  "x": "yes"\n`,
    ),
    chart('keywords-empty', `${v2('keywords-empty')}keywords: []\nsources: []\n`),
    chart('maintainer-name-only', `${v2('maintainer-name-only')}maintainers:\n  - name: Solo\n`),
    chart('dotted.name', v2('dotted.name')),
    chart('under_score', v2('under_score')),
    chart('with-schema', v2('with-schema'), {
      files: { 'values.schema.json': '{"$schema":"http://json-schema.org/draft-07/schema#","type":"object"}\n' },
    }),
    chart('with-crds', v2('with-crds'), {
      files: { 'crds/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n' },
    }),
    chart('with-helmignore', v2('with-helmignore'), { files: { '.helmignore': '*.bak\n', 'notes.bak': 'ignored\n' } }),
    chart(
      'with-lock',
      `${v2('with-lock')}dependencies:\n  - name: dep\n    version: 1.2.3\n    repository: https://x.example\n`,
      {
        files: {
          ...subcharts('dep'),
          'Chart.lock':
            'dependencies:\n- name: dep\n  repository: https://x.example\n  version: 1.2.3\ndigest: sha256:0000\ngenerated: "2024-01-01T00:00:00Z"\n',
        },
      },
    ),
  ];
  // Several versions of one chart: Helm sorts them by SemVer, newest first.
  for (const version of ['0.9.0', '1.0.0', '1.2.0', '1.10.0', '2.0.0-beta.1', '2.0.0']) {
    specs.push(chart(`many-${version}`, `${v2('many', version)}appVersion: "${version}"\n`));
  }
  // Charts in sub-folders of the repository: their urls carry the folder.
  specs.push(
    chart('team-a-app', v2('team-a-app'), { repoFolder: 'team-a' }),
    chart('team-a-plus', v2('team-a-plus', '1.0.0+b1'), { repoFolder: 'team-a' }),
    chart('spaced-folder', v2('spaced-folder'), { repoFolder: 'with space' }),
    // The same archive name (and chart version) in two folders: Helm indexes both; --merge keeps the first.
    chart('twin-a', `${v2('twin')}description: the team-a build\n`, { repoFolder: 'team-a' }),
    chart('twin-b', `${v2('twin')}description: the team-b build\n`, { repoFolder: 'team-b' }),
    chart('ünicode-name', v2('ünicode-name')),
  );
  return specs;
}
