import { qemuArguments } from './qemu-command';

describe('qemuArguments', () => {
  const boot = {
    vmlinuz: '/k/vmlinuz',
    initrd: '/k/initrd.cpio',
    token: 't0ken',
    hostPort: 41234,
    agentPort: 7070,
    sysctls: { 'net.ipv4.tcp_fin_timeout': 5, 'net.ipv4.ip_local_port_range': '40000 40007' },
    kvm: false,
    memoryMb: 1024,
  };

  it('boots the kernel with the initramfs under TCG, forwarding the agent to 127.0.0.1 only', () => {
    const args = qemuArguments(boot);
    expect(args.slice(0, 2)).toEqual(['-accel', 'tcg']);
    expect(args).toContain('user,id=n0,hostfwd=tcp:127.0.0.1:41234-:7070');
    expect(args[args.indexOf('-kernel') + 1]).toBe('/k/vmlinuz');
    expect(args[args.indexOf('-initrd') + 1]).toBe('/k/initrd.cpio');
  });

  it('hands the token and the sysctls to the kernel command line, quoting a value with spaces', () => {
    const cmdline = qemuArguments(boot)[qemuArguments(boot).indexOf('-append') + 1];
    expect(cmdline).toContain('sockspec.token=t0ken');
    expect(cmdline).toContain('sysctl.net.ipv4.tcp_fin_timeout=5');
    expect(cmdline).toContain('sysctl.net.ipv4.ip_local_port_range="40000 40007"');
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
