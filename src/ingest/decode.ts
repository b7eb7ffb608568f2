/**
 * Bytes to text: the charset from the HTTP header, else the XML prolog (or HTML meta),
 * else a byte-order mark, else UTF-8. TextDecoder knows windows-1251, KOI8-R and the rest.
 */

/** The charset a Content-Type header declares, lowercased, if any. */
export function headerCharset(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/** The encoding an XML prolog (or an HTML meta charset) declares in the first bytes. */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (xml) return xml[1]?.toLowerCase();
  const meta = /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)/i.exec(head);
  return meta?.[1]?.toLowerCase();
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function decoderFor(label: string | undefined): TextDecoder | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label);
  } catch {
    return undefined; // an unknown label: try the next source
  }
}

function validUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decode a body to a string; a leading BOM is dropped. One correction, for a common server
 * misconfiguration: a header that says UTF-8 over bytes that are not UTF-8 yields to the
 * charset the document itself declares.
 */
export function decodeBody(bytes: Uint8Array, contentType?: string): string {
  let decoder = decoderFor(headerCharset(contentType));
  if (decoder?.encoding === 'utf-8') {
    const declared = decoderFor(declaredCharset(bytes));
    if (declared && declared.encoding !== 'utf-8' && !validUtf8(bytes)) decoder = declared;
  }
  decoder ??= decoderFor(declaredCharset(bytes)) ?? decoderFor(bomCharset(bytes)) ?? new TextDecoder('utf-8');
  return decoder.decode(bytes).replace(/^\uFEFF/, '');
}
