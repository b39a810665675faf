import { chooseAccelerator, kvmFailureIn, type KvmProbe } from './kvm-probe';

describe('kvmFailureIn', () => {
  it("names qemu's KVM error from its output", () => {
    const output = [
      'KVM internal error. Suberror: 1',
      'extra data[0]: 0x0000000000000000',
      'EAX=00000000 EBX=00000000',
    ].join('\n');
    expect(kvmFailureIn(output)).toBe('KVM internal error. Suberror: 1');
  });

  it("leaves out the firmware's terminal codes that share its line", () => {
    expect(kvmFailureIn('\x1bc\x1b[?7l\x1b[2JKVM internal error. Suberror: 1\n')).toBe(
      'KVM internal error. Suberror: 1',
    );
  });

  it("strips qemu's own name from a failed MSR write", () => {
    expect(kvmFailureIn('qemu-system-x86_64: error: failed to set MSR 0x10a to 0x0\n')).toBe(
      'error: failed to set MSR 0x10a to 0x0',
    );
  });

  it('finds nothing in a kernel that booted', () => {
    expect(
      kvmFailureIn('[    0.000000] Linux version 6.12.0 (debian-kernel@lists.debian.org)'),
    ).toBe(undefined);
  });
});

describe('chooseAccelerator', () => {
  const failing = (): Promise<KvmProbe> =>
    Promise.resolve({ works: false, reason: 'KVM internal error. Suberror: 1' });
  const working = (): Promise<KvmProbe> => Promise.resolve({ works: true });

  it('uses TCG when asked to, without probing', async () => {
    const probe = jest.fn(working);
    const lines: string[] = [];
    await expect(
      chooseAccelerator('off', 'vmlinuz', (line) => lines.push(line), probe),
    ).resolves.toBe('tcg');
    expect(probe).not.toHaveBeenCalled();
    expect(lines.join('')).toContain('SOCKSPEC_KVM=0');
  });

  it('uses KVM where the probe boot works', async () => {
    await expect(chooseAccelerator('auto', 'vmlinuz', () => undefined, working)).resolves.toBe(
      'kvm',
    );
  });

  it('falls back to TCG and says why once, where the probe fails', async () => {
    const lines: string[] = [];
    await expect(
      chooseAccelerator('auto', 'vmlinuz', (line) => lines.push(line), failing),
    ).resolves.toBe('tcg');
    expect(lines).toEqual([
      '[vm] under TCG (software emulation): KVM probe failed: KVM internal error. Suberror: 1\n',
    ]);
  });

  it('fails naming the KVM error when KVM is insisted on', async () => {
    await expect(chooseAccelerator('on', 'vmlinuz', () => undefined, failing)).rejects.toThrow(
      /SOCKSPEC_KVM=1, but KVM does not run a guest here: KVM internal error\. Suberror: 1/,
    );
  });
});
