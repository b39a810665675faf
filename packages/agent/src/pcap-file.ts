/** Classic pcap's magic numbers: microsecond and nanosecond timestamps, read in the file's own byte order. */
const MAGIC_MICROS = 0xa1b2c3d4;
const MAGIC_NANOS = 0xa1b23c4d;
const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
const ETHERTYPE_IPV4 = 0x0800;
const IPPROTO_UDP = 17;
/** Where a link type's ethertype field and IP header start: Ethernet (loopback) and Linux cooked capture. */
const LINK_LAYOUTS: Readonly<Record<number, { ethertype: number; ip: number }>> = {
  1: { ethertype: 12, ip: 14 },
  113: { ethertype: 14, ip: 16 },
};

/**
 * A classic pcap file (as `tcpdump -w` writes it) without its IPv4 UDP packets: a capture's filter takes its
 * port's TCP segments and the end-marker datagrams stop() sends itself, so what is left is the port's traffic.
 * Records of other link types are kept as they are; a record cut short (tcpdump killed while writing) ends the
 * file there.
 */
export function withoutUdp(pcap: Buffer): Buffer {
  if (pcap.length < FILE_HEADER_BYTES) {
    throw new Error(`not a pcap file: ${pcap.length} bytes, shorter than pcap's file header`);
  }
  const littleEndian = [MAGIC_MICROS, MAGIC_NANOS].includes(pcap.readUInt32LE(0));
  if (!littleEndian && ![MAGIC_MICROS, MAGIC_NANOS].includes(pcap.readUInt32BE(0))) {
    throw new Error(`not a pcap file: magic number 0x${pcap.readUInt32BE(0).toString(16)}`);
  }
  const uint32 = (offset: number): number =>
    littleEndian ? pcap.readUInt32LE(offset) : pcap.readUInt32BE(offset);
  const layout = LINK_LAYOUTS[uint32(20) & 0xffff];
  const kept: Buffer[] = [pcap.subarray(0, FILE_HEADER_BYTES)];
  let offset = FILE_HEADER_BYTES;
  while (offset + RECORD_HEADER_BYTES <= pcap.length) {
    const end = offset + RECORD_HEADER_BYTES + uint32(offset + 8);
    if (end > pcap.length) break;
    const packet = pcap.subarray(offset + RECORD_HEADER_BYTES, end);
    const udp =
      layout !== undefined &&
      packet.length > layout.ip + 9 &&
      packet.readUInt16BE(layout.ethertype) === ETHERTYPE_IPV4 &&
      packet[layout.ip + 9] === IPPROTO_UDP;
    if (!udp) kept.push(pcap.subarray(offset, end));
    offset = end;
  }
  return Buffer.concat(kept);
}
