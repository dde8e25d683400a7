/**
 * Chart.yaml (and requirements.yaml) as Helm's v2 loader reads them: each file is unmarshalled into one shared
 * Metadata struct, so a later file overrides the fields it sets; an unset apiVersion means v1.
 */
import { RejectionFault, type RejectionCode } from './errors';
import { checkAliasBudget, decodeDocument, type GoStruct, type StructSpec } from './go-decode';
import { loadGoYaml, YamlParserUnavailableError, type GoYamlValue } from './go-yaml';

export const MAINTAINER_SPEC: StructSpec = {
  type: 'chart.Maintainer',
  fields: { name: 'string', email: 'string', url: 'string' },
};

export const DEPENDENCY_SPEC: StructSpec = {
  type: 'chart.Dependency',
  fields: {
    name: 'string',
    version: 'string',
    repository: 'string',
    condition: 'string',
    tags: { list: 'string' },
    enabled: 'bool',
    'import-values': { list: 'any' },
    alias: 'string',
  },
};

/** pkg/chart/v2/metadata.go Metadata, by JSON field name. */
export const METADATA_SPEC: StructSpec = {
  type: 'chart.Metadata',
  fields: {
    name: 'string',
    home: 'string',
    sources: { list: 'string' },
    version: 'string',
    description: 'string',
    keywords: { list: 'string' },
    maintainers: { list: MAINTAINER_SPEC },
    icon: 'string',
    apiVersion: 'string',
    condition: 'string',
    tags: 'string',
    appVersion: 'string',
    deprecated: 'bool',
    annotations: { map: 'string' },
    kubeVersion: 'string',
    dependencies: { list: DEPENDENCY_SPEC },
    type: 'string',
  },
};

/** One entry of index.yaml (Helm's repo.ChartVersion): the chart's metadata plus where it lives. */
export const CHART_VERSION_SPEC: StructSpec = {
  type: 'repo.ChartVersion',
  fields: {
    ...METADATA_SPEC.fields,
    urls: { list: 'string' },
    created: 'string',
    removed: 'bool',
    digest: 'string',
    checksum: 'string',
    engine: 'string',
    tillerVersion: 'string',
    url: 'string',
  },
};

export const LOCK_SPEC: StructSpec = {
  type: 'chart.Lock',
  fields: { generated: 'time', digest: 'string', dependencies: { list: DEPENDENCY_SPEC } },
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text (Helm already dropped one leading BOM); go-yaml refuses bytes that are not UTF-8. */
export function decodeUtf8(data: Uint8Array, name: string, code: RejectionCode): string {
  try {
    return UTF8.decode(data);
  } catch {
    throw new RejectionFault(code, `${name} is not valid UTF-8`, `${name} to be UTF-8 YAML`);
  }
}

/** The first YAML document of `text`, with go-yaml's typing and our depth bound. */
export function parseYamlText(text: string, name: string, maxDepth: number, code: RejectionCode): GoYamlValue {
  try {
    return loadGoYaml(text, { filename: name, maxDepth });
  } catch (error) {
    if (error instanceof YamlParserUnavailableError) throw error; // not the chart's fault
    const message = error instanceof Error ? error.message : String(error);
    if (/maxDepth/.test(message) || error instanceof RangeError) {
      throw new RejectionFault(
        'yaml-too-deep',
        `${name} nests deeper than ${maxDepth} levels`,
        `YAML nested at most ${maxDepth} levels`,
      );
    }
    throw new RejectionFault(code, `${name} is not valid YAML: ${message.split('\n')[0]}`, `${name} to be valid YAML`);
  }
}

/** Parses a whole file (first document) and checks go-yaml's alias budget. */
export function parseYamlFile(
  data: Uint8Array,
  name: string,
  maxDepth: number,
  code: RejectionCode = 'invalid-yaml',
): GoYamlValue {
  const doc = parseYamlText(decodeUtf8(data, name, code), name, maxDepth, code);
  checkAliasBudget(doc);
  return doc;
}

/** Applies one metadata file (Chart.yaml or requirements.yaml) onto the metadata read so far. */
export function applyMetadataFile(metadata: GoStruct, data: Uint8Array, name: string, maxDepth: number): void {
  const doc = parseYamlFile(data, name, maxDepth);
  try {
    decodeDocument(metadata, doc, METADATA_SPEC);
  } catch (error) {
    if (error instanceof RejectionFault) {
      throw new RejectionFault(error.code, `cannot load ${name}: ${error.reason}`, error.expected);
    }
    throw error;
  }
}

/** Chart.lock / requirements.lock: Helm unmarshals them into Lock and fails the load when that fails. */
export function checkLockFile(data: Uint8Array, name: string, maxDepth: number): void {
  const doc = parseYamlFile(data, name, maxDepth, 'invalid-lock');
  try {
    decodeDocument({}, doc, LOCK_SPEC);
  } catch (error) {
    if (error instanceof RejectionFault) {
      throw new RejectionFault('invalid-lock', `cannot load ${name}: ${error.reason}`, error.expected);
    }
    throw error;
  }
}
