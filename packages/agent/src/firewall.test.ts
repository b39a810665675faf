import { dropRuleArguments, packetCounts } from './firewall';

describe('dropRuleArguments', () => {
  it('drops pure ACKs from one port to another', () => {
    expect(
      dropRuleArguments({ sourcePort: 40000, destinationPort: 8080, segments: 'ack-only' }),
    ).toEqual(
      'add rule inet sockspec input tcp sport 40000 tcp dport 8080 tcp flags & (fin|syn|rst|ack) == ack counter drop'.split(
        ' ',
      ),
    );
  });

  it('drops FINs without naming ports', () => {
    expect(dropRuleArguments({ segments: 'fin' }).join(' ')).toBe(
      'add rule inet sockspec input tcp flags & fin == fin counter drop',
    );
  });
});

describe('packetCounts', () => {
  it("reads each rule's packet counter from nft's JSON", () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.6' } },
        { chain: { family: 'inet', table: 'sockspec', name: 'input', handle: 1 } },
        {
          rule: {
            handle: 4,
            expr: [{ match: {} }, { counter: { packets: 3, bytes: 156 } }, { drop: null }],
          },
        },
        { rule: { handle: 5, expr: [{ counter: { packets: 0, bytes: 0 } }] } },
      ],
    });
    expect([...packetCounts(json)]).toEqual([
      [4, 3],
      [5, 0],
    ]);
  });
});
