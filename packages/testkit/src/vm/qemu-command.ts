/** What one VM kernel boots with. */
export interface VmBoot {
  readonly vmlinuz: string;
  readonly initrd: string;
  /** The supervisor's token, handed to the init on the kernel command line. */
  readonly token: string;
  /** Host port on 127.0.0.1 forwarded to the supervisor's port in the guest. */
  readonly hostPort: number;
  readonly agentPort: number;
  /** Use KVM when it answers; TCG (software emulation) otherwise. */
  readonly kvm: boolean;
  readonly memoryMb: number;
  /** Virtual CPUs; under TCG each runs on a host thread of its own (multi-threaded TCG). */
  readonly cpus: number;
  /** Environment for the supervisor and every agent it starts (SOCKSPEC_SAMPLE_MS...), through the command line. */
  readonly environment: Readonly<Record<string, string>>;
}

/** The kernel argument that carries one environment variable to the init: `sockspec.env.NAME=VALUE`. */
export const VM_ENV_ARGUMENT = 'sockspec.env.';

/** The kernel argument that hands a VM its supervisor token (the init reads it); it also marks a VM's qemu. */
export const VM_TOKEN_ARGUMENT = 'sockspec.token';

/** qemu-system-x86_64's arguments for a VM kernel. Pure. */
export function qemuArguments(boot: VmBoot): string[] {
  const environment = Object.entries(boot.environment).map(([name, value]) => {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || !/^[\w.,:/-]*$/.test(value)) {
      throw new Error(
        `${name}=${value} cannot go on a kernel command line (a word without spaces or quotes)`,
      );
    }
    return `${VM_ENV_ARGUMENT}${name}=${value}`;
  });
  const cmdline = [
    'console=ttyS0',
    'rdinit=/init',
    'panic=-1',
    'quiet',
    `${VM_TOKEN_ARGUMENT}=${boot.token}`,
    ...environment,
  ];
  return [
    ...(boot.kvm ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg,thread=multi']),
    '-m',
    String(boot.memoryMb),
    '-smp',
    String(boot.cpus),
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
