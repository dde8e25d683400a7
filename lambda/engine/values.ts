/**
 * values.yaml as Helm's LoadValues reads it: split into documents the way apimachinery's YAMLReader splits them
 * (a line starting with "---" ends a document; only a comment may follow the dashes), then each document must
 * unmarshal into map[string]interface{}. A values.yaml Helm cannot load makes the whole chart fail to load.
 */
import { checkAliasBudget, decodeAnyMap } from './go-decode';
import { RejectionFault } from './errors';
import { parseYamlText } from './chart-yaml';

/** YAMLReader's documents: separator lines dropped (a leading one is kept), line ends normalized to "\n". */
export function splitYamlDocuments(text: string, name: string): string[] {
  const docs: string[] = [];
  let buffer = '';
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the final newline is not a line of its own
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('---')) {
      const trimmed = line.slice(3).trim();
      if (trimmed.length > 0 && trimmed[0] !== '#') {
        throw new RejectionFault(
          'invalid-values',
          `cannot load ${name}: error reading yaml document: invalid Yaml document separator: ${trimmed.slice(0, 40)}`,
          'only a comment after a "---" document separator',
        );
      }
      if (buffer.length > 0) {
        docs.push(buffer);
        buffer = '';
        continue;
      }
    }
    buffer += `${line}\n`;
  }
  if (buffer.length > 0) docs.push(buffer);
  return docs;
}

export function checkValuesFile(text: string, name: string, maxDepth: number): void {
  for (const doc of splitYamlDocuments(text, name)) {
    const value = parseYamlText(doc, name, maxDepth, 'invalid-values');
    checkAliasBudget(value);
    try {
      decodeAnyMap(value);
    } catch (error) {
      if (error instanceof RejectionFault) {
        throw new RejectionFault(
          'invalid-values',
          `cannot load ${name}: ${error.reason}`,
          `${name} to hold YAML mappings`,
        );
      }
      throw error;
    }
  }
}
