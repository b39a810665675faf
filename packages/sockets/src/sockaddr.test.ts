import { decodeSockaddr, encodeSockaddr } from './sockaddr';

describe('sockaddr encoding', () => {
  it('lays out sockaddr_in with the port in network order', () => {
    const bytes = encodeSockaddr('ipv4', { address: '127.0.0.1', port: 8080 });
    expect(bytes.toString('hex')).toBe('02001f907f0000010000000000000000');
    expect(decodeSockaddr(bytes)).toEqual({ address: '127.0.0.1', port: 8080 });
  });

  it('round-trips IPv6, v4-mapped and compressed addresses', () => {
    for (const address of [
      '::1',
      '::',
      'fe80::1',
      '2001:db8::8:800:200c:417a',
      '::ffff:127.0.0.1',
    ]) {
      const bytes = encodeSockaddr('ipv6', { address, port: 443 });
      expect(bytes).toHaveLength(28);
      expect(decodeSockaddr(bytes)).toEqual({ address, port: 443 });
    }
  });

  it('refuses an address of the other family', () => {
    expect(() => encodeSockaddr('ipv4', { address: '::1', port: 1 })).toThrow(TypeError);
    expect(() => encodeSockaddr('ipv6', { address: 'localhost', port: 1 })).toThrow(TypeError);
  });
});

describe('IPv6 text', () => {
  it('reads back in RFC 5952 form: the longest run of zero groups compressed, not a single zero group', () => {
    const roundTrip = (address: string): string =>
      decodeSockaddr(encodeSockaddr('ipv6', { address, port: 1 })).address;
    expect(roundTrip('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(roundTrip('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
  });
});
