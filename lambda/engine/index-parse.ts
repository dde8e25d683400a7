/**
 * Parsing index.yaml text as Helm's loadIndex does: JSON when the text is valid JSON, YAML (go-yaml v2 typing)
 * otherwise; empty text and a missing apiVersion are errors. Entries stay raw here; index-entry decodes them.
 */
import { RejectionFault } from './errors';
import { decodeDocument, type GoStruct } from './go-decode';
import { loadGoYaml, YamlParserUnavailableError, type GoYamlValue } from './go-yaml';
import type { IndexHeader } from './repository-index';

export interface IndexDocument {
  readonly header: IndexHeader;
  readonly entries: Array<[string, GoYamlValue[]]>;
}

const HEADER_SPEC = {
  type: 'repo.IndexFile',
  fields: {
    apiVersion: 'string',
    publicKeys: { list: 'string' },
    annotations: { map: 'string' },
  },
} as const;

function fail(source: string, reason: string): Error {
  return new Error(`error loading ${source}: ${reason}`);
}

function parseText(text: string, source: string): GoYamlValue {
  if (text.length === 0) throw fail(source, 'empty index.yaml file');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('"')) {
    try {
      return JSON.parse(text) as GoYamlValue;
    } catch {
      // not JSON: YAML below (YAML flow style looks like JSON)
    }
  }
  try {
    return loadGoYaml(text, { filename: source, maxDepth: 1000 });
  } catch (error) {
    if (error instanceof YamlParserUnavailableError) throw error; // not the index's fault
    throw fail(source, error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
}

export function parseIndexDocument(text: string, source: string): IndexDocument {
  const doc = parseText(text, source);
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw fail(source, 'the index is not a mapping with apiVersion and entries');
  }
  const header: GoStruct = {};
  try {
    decodeDocument(header, { ...doc, entries: null, generated: null, serverInfo: null }, HEADER_SPEC);
  } catch (error) {
    if (error instanceof RejectionFault) throw fail(source, error.reason);
    throw error;
  }
  if (!header.apiVersion) throw fail(source, 'no API version specified');
  const entries: Array<[string, GoYamlValue[]]> = [];
  const raw = (doc as Record<string, GoYamlValue>).entries;
  if (raw !== null && raw !== undefined) {
    if (typeof raw !== 'object' || Array.isArray(raw)) throw fail(source, 'entries is not a mapping of chart names');
    for (const [name, versions] of Object.entries(raw)) {
      if (versions === null) continue;
      if (!Array.isArray(versions)) throw fail(source, `entries.${name} is not a list of chart versions`);
      entries.push([name, versions]);
    }
  }
  return { header: header as unknown as IndexHeader, entries };
}
