import type { TargetNetwork } from './target-network';

/** Linux capabilities a scenario may ask for; everything else is dropped where the kind of target can drop them. */
export type Capability = 'NET_ADMIN' | 'NET_RAW' | 'SETUID' | 'SETGID';

/** What a target is, whatever its kind. */
export interface TargetOptions {
  /**
   * `container` (the host's kernel in a network namespace of a Docker container) or `vm:<series>` such as `vm:6.1`
   * (a network namespace on a Debian kernel booted in qemu). Default: SOCKSPEC_TARGET, else `container`. Specs
   * leave it out, so one spec runs on every kind.
   */
  readonly kind?: string;
  /**
   * `net.*` sysctls for the target's network namespace, e.g. `{ 'net.core.somaxconn': 1 }`, set before anything
   * runs in it. A name the kernel does not have fails the start.
   */
  readonly sysctls?: Readonly<Record<string, string | number>>;
  /** The same, for sysctls only newer kernels have: set where the kernel has them, left out where it does not. */
  readonly sysctlsIfPresent?: Readonly<Record<string, string | number>>;
  /** Only what the scenario needs: NET_ADMIN to drop segments with nftables, NET_RAW for tcpdump. Never privileged. */
  readonly capabilities?: readonly Capability[];
  /** The image a container target runs, and a VM target's root is made from (default: SOCKSPEC_IMAGE). */
  readonly image?: string;
  /**
   * Where the target's timeline record and capture files go. Default: the run's report folder (SOCKSPEC_REPORT_DIR,
   * else report/ at the project's root).
   */
  readonly reportDir?: string;
  /** Also put the target on this network of the run's, for scenarios between two targets (`networkAddress`). */
  readonly network?: TargetNetwork;
}
