import { dockerLogText } from './docker-log';

function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe("a container's log from Docker's API", () => {
  it('joins the frames of both streams in their order', () => {
    const log = Buffer.concat([
      frame(1, 'listening\n'),
      frame(2, 'bind() failed (98: Address already in use)\n'),
    ]);
    expect(dockerLogText(log)).toBe('listening\nbind() failed (98: Address already in use)\n');
  });

  it('is empty for an empty log, and ignores a header cut short', () => {
    expect(dockerLogText(Buffer.alloc(0))).toBe('');
    expect(dockerLogText(Buffer.concat([frame(1, 'ok\n'), Buffer.alloc(5)]))).toBe('ok\n');
  });
});
