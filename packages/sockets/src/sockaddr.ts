/**
 * sockaddr_in and sockaddr_in6 as bytes (Linux layout), and back. Pure: no system calls here.
 *
 * sockaddr_in:  family u16 (host order) | port u16 (network order) | addr 4 bytes | zero 8 bytes   = 16 bytes
 * sockaddr_in6: family u16 | port u16 (network order) | flowinfo u32 | addr 16 bytes | scope id u32 = 28 bytes
 */
import { isIPv4, isIPv6 } from 'node:net';
import { formatIpv6Bytes } from '@sockspec/inspector';

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
    return { address: formatIpv6Bytes([...buffer.subarray(8, 24)]), port };
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
