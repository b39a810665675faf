import { connect } from 'node:net';

/** How one raw HTTP exchange ended: an answer (status, headers, body), or the connection without one. */
export type RawOutcome =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | { readonly kind: 'closed'; readonly received: string }
  | { readonly kind: 'timeout'; readonly received: string };

const HEAD_END = '\r\n\r\n';

/** What is left after interim answers (`100 Continue`): the final answer's beginning. */
function withoutInterim(received: string): string {
  let rest = received;
  while (/^HTTP\/1\.[01] 1\d\d /.test(rest) && rest.includes(HEAD_END)) {
    rest = rest.slice(rest.indexOf(HEAD_END) + HEAD_END.length);
  }
  return rest;
}

/** The answer in `received` once its head and (by content-length or the closing chunk) its body are all there. */
function completeAnswer(all: string, closed: boolean): RawOutcome | undefined {
  const received = withoutInterim(all);
  const headEnd = received.indexOf(HEAD_END);
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...headerLines] = received.slice(0, headEnd).split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
  if (status === undefined) return undefined;
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  // `received` holds one character per byte (latin1), so its length counts bytes.
  const bytes = received.slice(headEnd + HEAD_END.length);
  const length = headers['content-length'];
  const complete =
    closed ||
    (length !== undefined && bytes.length >= Number(length)) ||
    (headers['transfer-encoding'] === 'chunked' && bytes.endsWith(`0${HEAD_END}`));
  if (!complete) return undefined;
  const body = Buffer.from(bytes, 'latin1').toString('utf8');
  return { kind: 'answer', status: Number(status), headers, body };
}

/**
 * Writes `request` byte for byte to 127.0.0.1:port and reads what comes back: no HTTP client in between that would
 * fix up the method, the target or the framing. Answers with the first complete response, or how it ended.
 */
export function exchangeRaw(port: number, request: Buffer, timeoutMs: number): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let settled = false;
    const finish = (outcome: RawOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout', received }), timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const answer = completeAnswer(received, false);
      if (answer !== undefined) finish(answer);
    });
    // A reset after a complete answer is the server closing early; what was received still counts.
    socket.on('error', () => undefined);
    socket.on('close', () =>
      finish(completeAnswer(received, true) ?? { kind: 'closed', received }),
    );
    socket.write(request);
  });
}
