/** The little XML the S3 subset speaks: escaping, documents, error bodies, and reading keys from request bodies. */

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}

export function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, entity: string) => {
    switch (entity) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
    }
  });
}

/** `<name>value</name>` with the value escaped; undefined values are left out. */
export function element(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole document with the S3 namespace on its root element. */
export function document(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;
}

export function errorDocument(code: string, message: string, requestId: string, resource?: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
    element('Code', code) +
    element('Message', message) +
    element('Resource', resource) +
    element('RequestId', requestId) +
    '</Error>'
  );
}

/** Every text value of `<name>` elements in `xml`, unescaped, in order. */
export function elementValues(xml: string, name: string): string[] {
  const pattern = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => unescapeXml(match[1]));
}

/** The inner XML of every `<name>` element (for lists of structures such as `<Part>` or `<Object>`). */
export function elementBlocks(xml: string, name: string): string[] {
  const pattern = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => match[1]);
}
