import { checkPlan } from './check-args';

describe('the sockspec check command line', () => {
  it('runs an image with its own command and every check by default, the stop signal left to the image', () => {
    expect(checkPlan(['--image', 'nginx'])).toMatchObject({
      server: { kind: 'image', image: 'nginx' },
      port: undefined,
      stopSignal: undefined,
      checks: ['close-wait', 'burst', 'restart', 'shutdown'],
      json: false,
    });
  });

  it('passes the words after -- to the image, and reads the chosen checks and signal', () => {
    expect(
      checkPlan([
        '--image',
        'app:1',
        '--port',
        '8080',
        '--stop-signal',
        'quit',
        '--checks',
        'shutdown,close-wait',
        '--json',
        '--',
        '--listen',
        '8080',
      ]),
    ).toMatchObject({
      server: { kind: 'image', image: 'app:1', args: ['--listen', '8080'] },
      port: 8080,
      stopSignal: 'SIGQUIT',
      checks: ['close-wait', 'shutdown'],
      json: true,
    });
  });

  it('keeps the folder mode, whose default checks need no restart', () => {
    expect(checkPlan(['--port', '8080', '--', 'node', 'server.js'])).toMatchObject({
      server: { kind: 'folder', command: ['node', 'server.js'] },
      host: '127.0.0.1',
      port: 8080,
      checks: ['close-wait', 'burst'],
      clients: 20,
      holdSeconds: 5,
      burst: 200,
    });
  });

  it('connects to the address --host names, IPv6 as well as IPv4', () => {
    expect(checkPlan(['--image', 'nginx', '--host', '::1'])).toMatchObject({ host: '::1' });
    expect(checkPlan(['--host', '10.0.0.2', '--port', '80', '--', 'node'])).toMatchObject({
      host: '10.0.0.2',
    });
  });

  it.each([
    [['--image', 'nginx', '--host', 'localhost'], "not 'localhost'"],
    [['--image', 'nginx', '--checks', 'close-wait,reboot'], "not 'reboot'"],
    [['--image', 'nginx', '--stop-signal', 'SIGNOPE'], "not 'SIGNOPE'"],
    [
      ['--port', '8080', '--checks', 'restart', '--', 'node'],
      'restart stops and starts the server again: it needs --image',
    ],
    [
      ['--port', '8080', '--stop-signal', 'TERM', '--', 'node'],
      '--stop-signal stops a server image: it needs --image',
    ],
    [['--', 'node', 'server.js'], '--port is required'],
    [['--port', '8080'], "missing the server's command"],
    [['--image', ''], '--image needs the name of an image'],
    [['--image', 'nginx', '--burst', '0'], '--burst'],
  ])('refuses %j, naming %s', (args, named) => {
    expect(() => checkPlan(args)).toThrow(named);
  });
});
