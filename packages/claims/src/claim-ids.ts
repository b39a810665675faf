import { isClaimId, type ClaimId } from './claims';

/**
 * Claim IDs in a test's title: each group in parentheses that starts with an ID, `(C17)` or `(C3, C10)`, names
 * claims. Other parentheses (`listen(fd, %i)`, `(tcp_fin_timeout = 5)`) name none. Pure.
 */
export function claimIdsIn(title: string): { readonly ids: ClaimId[]; readonly unknown: string[] } {
  const ids: ClaimId[] = [];
  const unknown: string[] = [];
  for (const [, inside = ''] of title.matchAll(/\(([^()]*)\)/g)) {
    if (!/^\s*[CX]\d/.test(inside)) continue;
    for (const word of inside.split(',').map((part) => part.trim())) {
      if (isClaimId(word)) {
        if (!ids.includes(word)) ids.push(word);
      } else unknown.push(word);
    }
  }
  return { ids, unknown };
}

// The same reading at the type level, so that a title with a mistyped ID does not compile.
type Trim<S extends string> = S extends ` ${infer R}`
  ? Trim<R>
  : S extends `${infer R} `
    ? Trim<R>
    : S;
type Split<S extends string> = S extends `${infer Head},${infer Tail}`
  ? [Trim<Head>, ...Split<Tail>]
  : [Trim<S>];
type GroupIds<Inside extends string> = Inside extends `${'C' | 'X'}${number}${string}`
  ? Split<Inside>[number]
  : never;
type TitleIds<S extends string> = S extends `${string}(${infer Inside})${infer Rest}`
  ? GroupIds<Inside> | TitleIds<Rest>
  : never;
type UnknownIds<S extends string> = Exclude<TitleIds<S>, ClaimId>;

/**
 * A title as written, when every claim ID in it is a real one; otherwise a message naming the stray ID, which the
 * title is then not assignable to. A title known only as `string` passes here and is checked when it runs.
 */
export type CheckedTitle<S extends string> = string extends S
  ? S
  : [UnknownIds<S>] extends [never]
    ? S
    : `unknown claim ID in this title: ${UnknownIds<S>}`;
