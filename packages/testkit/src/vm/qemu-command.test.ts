import { qemuArguments } from './qemu-command';

describe('qemuArguments', () => {
  const boot = {
    vmlinuz: '/k/vmlinuz',
    initrd: '/k/initrd.cpio',
    token: 't0ken',
    hostPort: 41234,
    agentPort: 7070,
    kvm: false,
    memoryMb: 1024,
    cpus: 2,
    environment: { SOCKSPEC_SAMPLE_MS: '40' },
  };

  it('boots the kernel with the initramfs under multi-threaded TCG, forwarding the supervisor to 127.0.0.1 only', () => {
    const args = qemuArguments(boot);
    expect(args.slice(0, 2)).toEqual(['-accel', 'tcg,thread=multi']);
    expect(args[args.indexOf('-smp') + 1]).toBe('2');
    expect(args).toContain('user,id=n0,hostfwd=tcp:127.0.0.1:41234-:7070');
    expect(args[args.indexOf('-kernel') + 1]).toBe('/k/vmlinuz');
    expect(args[args.indexOf('-initrd') + 1]).toBe('/k/initrd.cpio');
  });

  it('hands the token to the init on the kernel command line, and no sysctl: targets set their own', () => {
    const cmdline = qemuArguments(boot)[qemuArguments(boot).indexOf('-append') + 1];
    expect(cmdline).toContain('sockspec.token=t0ken');
    expect(cmdline).not.toContain('sysctl.');
  });

  it("hands the targets' environment to the init as sockspec.env words, and refuses a value with a space", () => {
    const cmdline = qemuArguments(boot)[qemuArguments(boot).indexOf('-append') + 1];
    expect(cmdline).toContain('sockspec.env.SOCKSPEC_SAMPLE_MS=40');
    expect(() => qemuArguments({ ...boot, environment: { SOCKSPEC_X: 'a b' } })).toThrow(
      /SOCKSPEC_X=a b/,
    );
  });

  it('uses KVM with the host CPU when asked', () => {
    expect(qemuArguments({ ...boot, kvm: true }).slice(0, 4)).toEqual([
      '-accel',
      'kvm',
      '-cpu',
      'host',
    ]);
  });
});
