import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSysctl, readSysctlTree } from './sysctl';

/** Whether the kernel lets this process read the file (root does, whatever its mode). */
function canRead(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

describe('sysctls from a procfs tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'sockspec-sysctl-'));
  beforeAll(() => {
    mkdirSync(join(root, 'sys/net/ipv4/conf/lo'), { recursive: true });
    mkdirSync(join(root, 'sys/net/core'), { recursive: true });
    writeFileSync(join(root, 'sys/net/ipv4/tcp_fin_timeout'), '60\n');
    writeFileSync(join(root, 'sys/net/ipv4/ip_local_port_range'), '32768\t60999\n');
    writeFileSync(join(root, 'sys/net/ipv4/conf/lo/forwarding'), '0\n');
    writeFileSync(join(root, 'sys/net/core/somaxconn'), '4096\n');
    writeFileSync(join(root, 'sys/net/core/secret'), 'x');
    chmodSync(join(root, 'sys/net/core/secret'), 0o200);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists every sysctl under a prefix, by name, sorted', () => {
    const tree = readSysctlTree('net', root);
    expect(Object.keys(tree)).toEqual([
      'net.core.secret',
      'net.core.somaxconn',
      'net.ipv4.conf.lo.forwarding',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_fin_timeout',
    ]);
    expect(tree['net.ipv4.ip_local_port_range']).toBe('32768\t60999');
  });

  it('marks a sysctl this process may not read, and reads one that access(2) allows it (root, whatever the mode)', () => {
    // Which of the two this process gets, the kernel says: access(2) for reading, as this process's user.
    const path = join(root, 'sys/net/core/secret');
    const readable = canRead(path);
    const value = readSysctlTree('net', root)['net.core.secret'];
    expect({ readable, value }).toEqual({
      readable,
      value: readable ? 'x' : '<unreadable: EACCES>',
    });
  });

  it("marks a sysctl the kernel will not read out even to root: this kernel's write-only net.ipv4.route.flush", () => {
    expect(readSysctlTree('net.ipv4.route')['net.ipv4.route.flush']).toBe('<unreadable: EACCES>');
  });

  it('reads one sysctl, and nothing for one the kernel does not have', () => {
    expect(readSysctl('net.ipv4.tcp_fin_timeout', root)).toBe('60');
    expect(readSysctl('net.ipv4.tcp_migrate_req', root)).toBeUndefined();
  });
});
