import type { TcpChange } from '@sockspec/agent/protocol';
import { changeReading } from './kernel-timer';

const endpoint = (port: number) => ({ address: '127.0.0.1', port });
const into = (extra: Partial<TcpChange>): TcpChange => ({
  seq: 1,
  time: 1_005,
  previousTime: 990,
  key: 'k',
  local: endpoint(40000),
  remote: endpoint(8090),
  from: 'FIN_WAIT2',
  to: 'TIME_WAIT',
  ...extra,
});

describe('changeReading', () => {
  it("reads the timer in the sampler's first sample of the state, dated by that sample's read", () => {
    const timer = { kind: 'time-wait' as const, remainingMs: 59_990 };
    expect(
      changeReading([into({ start: 1_001, timer })], { localPort: 40000 }, 'TIME_WAIT'),
    ).toEqual({
      start: 1_001,
      end: 1_005,
      timer,
    });
  });

  it('has none where the sample kept no timer or no read start', () => {
    expect(changeReading([into({})], { localPort: 40000 }, 'TIME_WAIT')).toBeUndefined();
    expect(
      changeReading([into({ start: 1_001 })], { localPort: 40001 }, 'TIME_WAIT'),
    ).toBeUndefined();
  });
});
