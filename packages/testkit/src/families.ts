import type { SocketFamily } from '@sockspec/agent/protocol';
import { FAMILY_NAMES } from '@sockspec/records';
import { checked } from './claim-tests';

/** One address family a spec runs over, with the addresses and ports its sockets use in it. */
export interface Family {
  readonly family: SocketFamily;
  /** `IPv4` or `IPv6`, as titles and the report name it. */
  readonly name: string;
  /** 127.0.0.1 or ::1. */
  readonly loopback: string;
  /** 0.0.0.0 or ::, the wildcard address. */
  readonly any: string;
  /**
   * The port a spec's `base` port becomes in this family: itself over IPv4, 500 above over IPv6, so both families
   * can share one target and a filter by port never matches the other family's sockets.
   */
  port(base: number): number;
}

/** How far apart the two families' ports lie (see Family.port). */
const IPV6_PORT_OFFSET = 500;

export const IPV4: Family = {
  family: 'ipv4',
  name: FAMILY_NAMES.ipv4,
  loopback: '127.0.0.1',
  any: '0.0.0.0',
  port: (base) => base,
};

export const IPV6: Family = {
  family: 'ipv6',
  name: FAMILY_NAMES.ipv6,
  loopback: '::1',
  any: '::',
  port: (base) => base + IPV6_PORT_OFFSET,
};

/** Every spec runs over both; a claim holds on a target only if it held over each. */
export const FAMILIES: readonly Family[] = [IPV4, IPV6];

/**
 * `describe` once per family: `describeFamilies('TIME_WAIT (C12)', (family) => ...)` runs the body as
 * `TIME_WAIT (C12) over IPv4 (127.0.0.1)` and `... over IPv6 (::1)`; with the title '', inside a describe that
 * holds a target both families share, as `over IPv4 (127.0.0.1)`. The title names the family, and the records and
 * the report read each test's family from there.
 */
export function describeFamilies(title: string, body: (family: Family) => void): void {
  for (const family of FAMILIES) {
    const over = `over ${family.name} (${family.loopback})`;
    globalThis.describe(checked(title === '' ? over : `${title} ${over}`), () => body(family));
  }
}
