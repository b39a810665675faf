import type { Endpoint } from './tcp-socket-entry';

/**
 * /proc/net/tcp prints an IPv4 address as the 32-bit word in the kernel's memory order; on little-endian machines
 * `0100007F` is 127.0.0.1. tcp6 prints four such words. The port is big-endian hex. Pure, fast (no regex).
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function hexByte(text: string, at: number): number {
  return parseInt(text.slice(at, at + 2), 16);
}

/** The four bytes of one printed 32-bit word, in network order. */
function wordBytes(text: string, at: number): [number, number, number, number] {
  const b0 = hexByte(text, at);
  const b1 = hexByte(text, at + 2);
  const b2 = hexByte(text, at + 4);
  const b3 = hexByte(text, at + 6);
  return LITTLE_ENDIAN ? [b3, b2, b1, b0] : [b0, b1, b2, b3];
}

export function parseIpv4Hex(text: string): string {
  return wordBytes(text, 0).join('.');
}

export function parseIpv6Hex(text: string): string {
  const bytes: number[] = [];
  for (let word = 0; word < 4; word += 1) bytes.push(...wordBytes(text, word * 8));
  return formatIpv6Bytes(bytes);
}

/** RFC 5952 text: lowercase, the longest run of two or more zero groups as `::`, v4-mapped as `::ffff:a.b.c.d`. */
export function formatIpv6Bytes(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  if (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  ) {
    return `::ffff:${bytes.slice(12, 16).join('.')}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** `0100007F:1F90` (tcp) or 32 hex digits and a port (tcp6) to an endpoint; undefined when malformed. */
export function parseProcEndpoint(text: string, family: 'ipv4' | 'ipv6'): Endpoint | undefined {
  const colon = text.indexOf(':');
  const width = family === 'ipv4' ? 8 : 32;
  if (colon !== width || text.length !== width + 5) return undefined;
  for (let i = 0; i < text.length; i += 1) {
    if (i === colon) continue;
    const c = text.charCodeAt(i);
    const hex = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
    if (!hex) return undefined;
  }
  const hexAddress = text.slice(0, colon);
  return {
    address: family === 'ipv4' ? parseIpv4Hex(hexAddress) : parseIpv6Hex(hexAddress),
    port: parseInt(text.slice(colon + 1), 16),
  };
}
