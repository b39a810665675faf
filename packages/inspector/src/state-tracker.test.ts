import { tcpSocketEntry } from '@sockspec/test-support';
import { StateTracker, socketKey } from './state-tracker';
import type { TcpSocketEntry } from './tcp-socket-entry';
import type { TcpState } from './tcp-state';

const socket = (state: TcpState, localPort = 40000, remotePort = 8080): TcpSocketEntry =>
  tcpSocketEntry(state, localPort, remotePort);

describe('StateTracker', () => {
  it('reports a socket appearing, changing state along its life, and disappearing', () => {
    const tracker = new StateTracker();
    expect(tracker.update([socket('ESTABLISHED')], 1)).toMatchObject([
      { from: null, to: 'ESTABLISHED', time: 1 },
    ]);
    expect(tracker.update([socket('ESTABLISHED')], 2)).toEqual([]);
    expect(tracker.update([socket('FIN_WAIT2')], 3)).toMatchObject([
      { from: 'ESTABLISHED', to: 'FIN_WAIT2' },
    ]);
    expect(tracker.update([socket('TIME_WAIT')], 4)).toMatchObject([
      { from: 'FIN_WAIT2', to: 'TIME_WAIT' },
    ]);
    expect(tracker.update([], 5)).toMatchObject([{ from: 'TIME_WAIT', to: null, time: 5 }]);
  });

  it('dates each change by the sample that showed it and the one before, which did not', () => {
    const tracker = new StateTracker();
    expect(tracker.update([socket('ESTABLISHED')], 100)).toMatchObject([
      { to: 'ESTABLISHED', time: 100, previousTime: null },
    ]);
    expect(tracker.update([socket('ESTABLISHED')], 110)).toEqual([]);
    // A sampler that fell behind: 300 ms between the last ESTABLISHED sample and the first FIN_WAIT2 one.
    expect(tracker.update([socket('FIN_WAIT2')], 410)).toMatchObject([
      { from: 'ESTABLISHED', to: 'FIN_WAIT2', time: 410, previousTime: 110 },
    ]);
    expect(tracker.update([], 420)).toMatchObject([
      { from: 'FIN_WAIT2', to: null, time: 420, previousTime: 410 },
    ]);
  });

  it('widens the window by the read times: from the start of the read before to the end of the one that showed it', () => {
    const tracker = new StateTracker();
    tracker.update([socket('ESTABLISHED')], 105, 100);
    // The scheduler interrupted this read for 150 ms: what it shows may be from any time in [200, 350].
    expect(tracker.update([socket('FIN_WAIT2')], 350, 200)).toMatchObject([
      { from: 'ESTABLISHED', to: 'FIN_WAIT2', time: 350, previousTime: 100 },
    ]);
    expect(tracker.update([], 405, 400)).toMatchObject([
      { from: 'FIN_WAIT2', to: null, time: 405, previousTime: 200 },
    ]);
  });

  it('keeps a listener apart from the connections on its port', () => {
    const listener = { ...socket('LISTEN', 8080, 0), remote: { address: '0.0.0.0', port: 0 } };
    expect(socketKey(listener)).not.toBe(socketKey(socket('ESTABLISHED', 8080, 0)));
  });
});
