/**
 * The text of a container's log as Docker's API hands it over for a container without a TTY: frames of an 8-byte
 * header (stream, 3 zero bytes, length as a big-endian uint32) and that many bytes. Both streams, in order. Pure.
 */
export function dockerLogText(log: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= log.length) {
    const length = log.readUInt32BE(offset + 4);
    parts.push(log.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString('utf8');
}
