import { formatTable } from './format-table';
import { parseProcNetTcpLine } from './parse-proc-net-tcp';
import type { TcpSocketEntry } from './tcp-socket-entry';

const timeWait = parseProcNetTcpLine(
  '   1: 0100007F:A0F2 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000',
  'ipv4',
) as TcpSocketEntry;

describe('formatTable', () => {
  it('prints an ss-like table with the timer', () => {
    expect(formatTable([timeWait]).split('\n')).toEqual([
      'State      Recv-Q  Send-Q  Local Address:Port  Peer Address:Port  Timer',
      'TIME_WAIT       0       0  127.0.0.1:41202     127.0.0.1:8080     timer:(time-wait,60sec,0)',
    ]);
  });

  it('adds a Process column when owners are given', () => {
    const table = formatTable([{ ...timeWait, inode: 7 }], {
      owners: new Map([[7, [{ pid: 42, command: 'node' }]]]),
    });
    expect(table).toContain('node(42)');
  });
});
