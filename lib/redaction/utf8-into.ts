/**
 * Writes the UTF-8 bytes of `text` into `into` (room for text.length * 3 bytes) and returns their
 * count: ASCII byte by byte (the common case, no Buffer), else Buffer's encoder. Used by the keyed
 * hashes to hash a string without allocating per value.
 */
export function utf8Into(text: string, into: Uint8Array): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return Buffer.from(into.buffer, into.byteOffset, into.length).write(text, 0, "utf8");
    into[i] = c;
  }
  return n;
}
