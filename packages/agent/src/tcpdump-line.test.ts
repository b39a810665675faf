import { flagText } from './protocol';
import { parseTcpdumpLine } from './tcpdump-line';

describe('parseTcpdumpLine', () => {
  it('reads a FIN with its absolute sequence and acknowledgement numbers', () => {
    expect(
      parseTcpdumpLine(
        '1795479023.006999 IP 127.0.0.1.9000 > 127.0.0.1.56190: Flags [F.], seq 2008396181, ack 537377468, win 64, options [nop,nop,TS val 4192572126 ecr 988669993], length 0',
      ),
    ).toEqual({
      time: 1795479023006.999,
      from: { address: '127.0.0.1', port: 9000 },
      to: { address: '127.0.0.1', port: 56190 },
      flags: ['FIN', 'ACK'],
      seq: 2008396181,
      ack: 537377468,
      length: 0,
    });
  });

  it('reads a SYN without an ack, data with a sequence range, and a bare ACK', () => {
    const syn = parseTcpdumpLine(
      '1795479022.504021 IP 127.0.0.1.56190 > 127.0.0.1.9000: Flags [S], seq 537377462, win 65495, options [mss 65495,sackOK,TS val 988669988 ecr 0,nop,wscale 10], length 0',
    );
    expect(syn).toMatchObject({ flags: ['SYN'], seq: 537377462, length: 0 });
    expect(syn?.ack).toBeUndefined();
    const data = parseTcpdumpLine(
      '1795479022.509421 IP 127.0.0.1.56190 > 127.0.0.1.9000: Flags [P.], seq 537377463:537377468, ack 2008396181, win 64, length 5',
    );
    expect(data).toMatchObject({
      flags: ['PSH', 'ACK'],
      seq: 537377463,
      ack: 2008396181,
      length: 5,
    });
    const ack = parseTcpdumpLine(
      '1795479022.509432 IP 127.0.0.1.9000 > 127.0.0.1.56190: Flags [.], ack 537377468, win 64, length 0',
    );
    expect(ack).toMatchObject({ flags: ['ACK'], ack: 537377468 });
    expect(ack?.seq).toBeUndefined();
  });

  it('reads IPv6 endpoints and RST', () => {
    expect(
      parseTcpdumpLine('1.5 IP6 ::1.8080 > ::1.40000: Flags [R.], seq 1, ack 2, win 0, length 0'),
    ).toMatchObject({ from: { address: '::1', port: 8080 }, flags: ['RST', 'ACK'] });
  });

  it("ignores tcpdump's own messages", () => {
    expect(
      parseTcpdumpLine(
        'listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes',
      ),
    ).toBeNull();
  });
});

describe('flagText', () => {
  it('joins flags with +', () => {
    expect(flagText(['FIN', 'ACK'])).toBe('FIN+ACK');
  });
});
