import { withoutUdp } from './pcap-file';

/** An Ethernet frame on loopback carrying an IPv4 header with the given protocol (6 TCP, 17 UDP). */
function frame(protocol: number, tag: number): Buffer {
  const bytes = Buffer.alloc(14 + 20 + 8);
  bytes.writeUInt16BE(0x0800, 12);
  bytes[14] = 0x45;
  bytes[14 + 9] = protocol;
  bytes[bytes.length - 1] = tag;
  return bytes;
}

/** A classic pcap file, as tcpdump -w writes it, in the given byte order. */
function pcap(packets: readonly Buffer[], order: 'LE' | 'BE' = 'LE', linkType = 1): Buffer {
  const u32 = (value: number): Buffer => {
    const bytes = Buffer.alloc(4);
    if (order === 'LE') bytes.writeUInt32LE(value);
    else bytes.writeUInt32BE(value);
    return bytes;
  };
  const header = Buffer.concat([
    u32(0xa1b2c3d4),
    Buffer.from(order === 'LE' ? [2, 0, 4, 0] : [0, 2, 0, 4]),
    u32(0),
    u32(0),
    u32(262144),
    u32(linkType),
  ]);
  // Each record's time is its frame's tag, so a record kept reads the same in the input and the expected file.
  const records = packets.map((packet) =>
    Buffer.concat([
      u32(1_700_000_000 + (packet.at(-1) ?? 0)),
      u32(0),
      u32(packet.length),
      u32(packet.length),
      packet,
    ]),
  );
  return Buffer.concat([header, ...records]);
}

describe('withoutUdp', () => {
  it('drops the end-marker datagrams and keeps every TCP segment in order', () => {
    const tcp1 = frame(6, 1);
    const tcp2 = frame(6, 2);
    expect(withoutUdp(pcap([tcp1, frame(17, 9), tcp2, frame(17, 9)]))).toEqual(pcap([tcp1, tcp2]));
  });

  it('reads big-endian files too', () => {
    const tcp = frame(6, 1);
    expect(withoutUdp(pcap([frame(17, 9), tcp], 'BE'))).toEqual(pcap([tcp], 'BE'));
  });

  it('keeps a file with no UDP in it byte for byte, and one with no packets at all', () => {
    const file = pcap([frame(6, 1), frame(6, 2)]);
    expect(withoutUdp(file)).toEqual(file);
    expect(withoutUdp(pcap([]))).toEqual(pcap([]));
  });

  it('keeps the packets of a link type it does not know', () => {
    const file = pcap([frame(17, 1)], 'LE', 228);
    expect(withoutUdp(file)).toEqual(file);
  });

  it('ends the file before a record cut short', () => {
    const tcp = frame(6, 1);
    const whole = pcap([tcp, frame(6, 2)]);
    expect(withoutUdp(whole.subarray(0, whole.length - 5))).toEqual(pcap([tcp]));
  });

  it('refuses what is not a pcap file, saying why', () => {
    expect(() => withoutUdp(Buffer.from('hello'))).toThrow(/not a pcap file: 5 bytes/);
    expect(() => withoutUdp(Buffer.alloc(24, 0x41))).toThrow(/magic number 0x41414141/);
  });
});
