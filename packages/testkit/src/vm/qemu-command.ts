/** What one VM target boots with. */
export interface VmBoot {
  readonly vmlinuz: string;
  readonly initrd: string;
  /** The agent's token, handed to the init on the kernel command line. */
  readonly token: string;
  /** Host port on 127.0.0.1 forwarded to the agent's port in the guest. */
  readonly hostPort: number;
  readonly agentPort: number;
  /** `net.*` sysctls, set by the kernel itself at boot (sysctl.* parameters, Linux 5.8 on). */
  readonly sysctls: Readonly<Record<string, string | number>>;
  /** Use KVM when it answers; TCG (software emulation) otherwise. */
  readonly kvm: boolean;
  readonly memoryMb: number;
}

/** The kernel argument that hands a VM its agent token (the init reads it); it also marks a VM's qemu. */
export const VM_TOKEN_ARGUMENT = 'sockspec.token';

/** qemu-system-x86_64's arguments for a VM target. Pure. */
export function qemuArguments(boot: VmBoot): string[] {
  // The kernel's parameter parser takes a value with spaces in double quotes.
  const sysctls = Object.entries(boot.sysctls).map(([name, value]) =>
    /\s/.test(String(value))
      ? `sysctl.${name}="${String(value)}"`
      : `sysctl.${name}=${String(value)}`,
  );
  const cmdline = [
    'console=ttyS0',
    'rdinit=/init',
    'panic=-1',
    'quiet',
    `${VM_TOKEN_ARGUMENT}=${boot.token}`,
    ...sysctls,
  ];
  return [
    ...(boot.kvm ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg']),
    '-m',
    String(boot.memoryMb),
    '-smp',
    '1',
    '-kernel',
    boot.vmlinuz,
    '-initrd',
    boot.initrd,
    '-append',
    cmdline.join(' '),
    '-netdev',
    `user,id=n0,hostfwd=tcp:127.0.0.1:${boot.hostPort}-:${boot.agentPort}`,
    '-device',
    'virtio-net-pci,netdev=n0',
    '-nographic',
    '-no-reboot',
  ];
}
