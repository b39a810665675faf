import { API_PREFIX } from './routes';

/**
 * The supervisor of a VM kernel: one per booted kernel, in its first network namespace. It makes targets (a network
 * namespace each, with an agent of its own), joins them by bridges, and forwards each target's requests to its
 * agent: `/ns/<id>` followed by the agent's own path.
 */
export const SUPERVISOR_PATHS = {
  kernel: `${API_PREFIX}/kernel`,
  namespaces: `${API_PREFIX}/namespaces`,
  namespace: `${API_PREFIX}/namespaces/:id`,
  bridges: `${API_PREFIX}/bridges`,
  bridge: `${API_PREFIX}/bridges/:id`,
  bridgeMembers: `${API_PREFIX}/bridges/:id/members`,
} as const;

/** Where a target's agent answers, below the supervisor's URL. */
export function namespacePrefix(id: number): string {
  return `/ns/${id}`;
}

export interface KernelInfo {
  /** `uname -r` */
  readonly release: string;
  readonly uname: string;
  /** Targets alive now, and agents started ahead in namespaces of their own, waiting to be taken. */
  readonly namespaces: number;
  readonly spares: number;
}

export interface NamespaceRequest {
  /** `net.*` sysctls to set in the new namespace; each must be per-namespace on this kernel. */
  readonly sysctls?: Readonly<Record<string, string | number>>;
  /** Set where this kernel has them per namespace, left out (and listed in `skipped`) where not. */
  readonly sysctlsIfPresent?: Readonly<Record<string, string | number>>;
}

export interface NamespaceCreated {
  readonly id: number;
  /** The token its agent takes. */
  readonly token: string;
  /** The agent's pid in the kernel. */
  readonly pid: number;
  /** The sysctls set, as written. */
  readonly applied: Readonly<Record<string, string>>;
  /** `sysctlsIfPresent` this kernel does not have per namespace. */
  readonly skipped: readonly string[];
}

export interface BridgeCreated {
  readonly id: number;
  readonly name: string;
  /** The IPv4 subnet its members get addresses in. */
  readonly subnet: string;
}

export interface BridgeMemberRequest {
  /** The id of the namespace to join to the bridge. */
  readonly namespace: number;
}

export interface BridgeMember {
  /** The member's IPv4 address on the bridge. */
  readonly address: string;
  /** Its interface there. */
  readonly device: string;
}
