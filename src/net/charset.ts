/**
 * Response bytes to text in the right character set. Feeds and pages in the
 * wild still come in windows-1251, ISO-8859-x, Shift_JIS, GBK, KOI8-R…, often
 * said only inside the document. The order is the one browsers use:
 *
 * 1. a byte order mark (it is never there by accident);
 * 2. `charset=` in the `Content-Type` header;
 * 3. for HTML and XML, a declaration in the first 1024 bytes:
 *    `<?xml … encoding="…"?>`, `<meta charset>` or `<meta http-equiv>`;
 * 4. UTF-8.
 *
 * Decoding uses the platform's `TextDecoder` (Node's full ICU knows every
 * WHATWG encoding); a label it does not know falls back to UTF-8, and bytes
 * that are invalid in the chosen encoding become U+FFFD, never an error.
 *
 * @example
 *   const { text, charset } = decodeText(bytes, 'text/html');
 *   charset; // 'windows-1251', from <meta charset="windows-1251">
 */
import { TextDecoder } from 'node:util';

/** How far into a document its own declaration is looked for (the HTML standard's prescan). */
const PRESCAN_BYTES = 1024;

export interface DecodedText {
  text: string;
  /** The encoding's WHATWG name, as used: 'utf-8', 'windows-1251', 'shift_jis'… */
  charset: string;
}

/**
 * Decodes a body by its BOM, its Content-Type charset, its own declaration
 * (HTML and XML only) or else as UTF-8.
 *
 * @example
 *   decodeText(Buffer.from([0xcf, 0xf0, 0xe8]), 'text/plain; charset=windows-1251').text; // 'При'
 *   decodeText(Buffer.from('<?xml version="1.0" encoding="koi8-r"?><rss/>'), undefined).charset; // 'koi8-r'
 */
export function decodeText(bytes: Uint8Array, contentType: string | undefined): DecodedText {
  const decoder =
    decoderFor(bomCharset(bytes)) ??
    decoderFor(headerCharset(contentType)) ??
    (isMarkup(contentType, bytes) ? decoderFor(declaredCharset(bytes), true) : undefined) ??
    new TextDecoder('utf-8');
  return { text: decoder.decode(bytes), charset: decoder.encoding };
}

/**
 * The charset a `Content-Type` header names, if any.
 *
 * @example
 *   headerCharset('text/html; Charset="Windows-1251"'); // 'Windows-1251'
 */
export function headerCharset(contentType: string | undefined): string | undefined {
  return contentType ? /;\s*charset\s*=\s*"?([^";,\s]+)/i.exec(contentType)?.[1] : undefined;
}

/**
 * The charset a document declares in its first 1024 bytes: an XML
 * declaration's `encoding`, else the first `<meta>` with a charset (both
 * `<meta charset>` and `<meta http-equiv="Content-Type" content="…; charset=…">`).
 *
 * @example
 *   declaredCharset(Buffer.from('<html><head><meta charset="gbk">')); // 'gbk'
 */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  // Latin-1 maps each byte to one character: ASCII markup reads the same whatever the real encoding.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, PRESCAN_BYTES)).toString('latin1');
  const xml = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']\s*([^"'\s]+)/i.exec(head);
  if (xml) return xml[1];
  const markup = head.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const [tag] of markup.matchAll(/<meta\b[^>]*>/gi)) {
    const charset = /\bcharset\s*=\s*["']?\s*([^\s"'/>;]+)/i.exec(tag)?.[1];
    if (charset) return charset;
  }
  return undefined;
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

const MARKUP_TYPES = new Set(['text/html', 'application/xhtml+xml', 'text/xml', 'application/xml']);
/** Types servers wrongly give to feeds and pages: looked into only when the body starts like markup. */
const VAGUE_TYPES = new Set(['', 'text/plain', 'application/octet-stream']);

function isMarkup(contentType: string | undefined, bytes: Uint8Array): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (MARKUP_TYPES.has(type) || type.endsWith('+xml')) return true;
  if (!VAGUE_TYPES.has(type)) return false;
  for (const byte of bytes.subarray(0, 64)) {
    if (byte === 0x3c) return true; // '<'
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return false;
}

/**
 * A decoder for a label, or undefined when the label is missing or unknown.
 * `inDocument`: a document whose declaration could be read as ASCII is not
 * UTF-16, whatever it says (the HTML standard reads such a declaration as UTF-8).
 */
function decoderFor(label: string | undefined, inDocument = false): TextDecoder | undefined {
  if (!label) return undefined;
  try {
    const decoder = new TextDecoder(label.trim());
    return inDocument && decoder.encoding.startsWith('utf-16') ? new TextDecoder('utf-8') : decoder;
  } catch {
    return undefined; // RangeError: a label no encoding answers to
  }
}
