/**
 * sockaddr_in and sockaddr_in6 as bytes (Linux layout), and back. Pure: no system calls here.
 *
 * sockaddr_in:  family u16 (host order) | port u16 (network order) | addr 4 bytes | zero 8 bytes   = 16 bytes
 * sockaddr_in6: family u16 | port u16 (network order) | flowinfo u32 | addr 16 bytes | scope id u32 = 28 bytes
 */
import { isIPv4, isIPv6 } from 'node:net';

export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCKADDR_MAX = 28;

export interface SocketAddress {
  readonly address: string;
  readonly port: number;
}

export function encodeSockaddr(family: 'ipv4' | 'ipv6', { address, port }: SocketAddress): Buffer {
  if (family === 'ipv4') {
    if (!isIPv4(address)) throw new TypeError(`not an IPv4 address: ${address}`);
    const buffer = Buffer.alloc(16);
    buffer.writeUInt16LE(AF_INET, 0);
    buffer.writeUInt16BE(port, 2);
    address.split('.').forEach((octet, i) => buffer.writeUInt8(Number(octet), 4 + i));
    return buffer;
  }
  if (!isIPv6(address)) throw new TypeError(`not an IPv6 address: ${address}`);
  const buffer = Buffer.alloc(28);
  buffer.writeUInt16LE(AF_INET6, 0);
  buffer.writeUInt16BE(port, 2);
  ipv6Bytes(address).copy(buffer, 8);
  return buffer;
}

export function decodeSockaddr(buffer: Buffer): SocketAddress {
  const family = buffer.readUInt16LE(0);
  const port = buffer.readUInt16BE(2);
  if (family === AF_INET) {
    return { address: [...buffer.subarray(4, 8)].join('.'), port };
  }
  if (family === AF_INET6) {
    return { address: formatIpv6(buffer.subarray(8, 24)), port };
  }
  throw new TypeError(`unknown address family ${family}`);
}

/** The 16 bytes of an IPv6 address in text form (with `::` and an embedded IPv4 tail allowed). */
export function ipv6Bytes(address: string): Buffer {
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes its two hex groups (::ffff:102:304).
  const text = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    [((Number(a) << 8) | Number(b)).toString(16), ((Number(c) << 8) | Number(d)).toString(16)].join(
      ':',
    ),
  );
  const parse = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((group) => parseInt(group, 16));
  const halves = text.split('::');
  const left = parse(halves[0] ?? '');
  const right = halves.length > 1 ? parse(halves[1] ?? '') : [];
  const zeros: number[] = Array(8 - left.length - right.length).fill(0);
  const groups = halves.length > 1 ? [...left, ...zeros, ...right] : left;
  const buffer = Buffer.alloc(16);
  groups.forEach((group, i) => buffer.writeUInt16BE(group, i * 2));
  return buffer;
}

/** RFC 5952 text for 16 address bytes: lowercase, longest zero run as `::`, v4-mapped as `::ffff:a.b.c.d`. */
export function formatIpv6(bytes: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return `::ffff:${[...bytes.subarray(12, 16)].join('.')}`;
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
