/** The two address families a spec runs over: the same behaviour asked of IPv4 and of IPv6. */
export type AddressFamily = 'ipv4' | 'ipv6';

/** How a family's describe title names it (`... over IPv6 (::1)`): the one place a test's family is read from. */
export const FAMILY_NAMES: Readonly<Record<AddressFamily, string>> = { ipv4: 'IPv4', ipv6: 'IPv6' };

const FAMILY_IN_TITLE = /\bover (IPv4|IPv6)\b/;

/** The family a test runs over, from its full name or one of its titles; undefined for a single-family test. */
export function familyInTitle(title: string): AddressFamily | undefined {
  const name = FAMILY_IN_TITLE.exec(title)?.[1];
  return name === 'IPv4' ? 'ipv4' : name === 'IPv6' ? 'ipv6' : undefined;
}
