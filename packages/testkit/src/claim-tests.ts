import { claimIdsIn, type CheckedTitle } from '@sockspec/claims';

/** A title whose claim IDs must all be real ones (see CheckedTitle): a stray ID is a compile error. */
type Title<T extends string> = T extends CheckedTitle<T> ? T : CheckedTitle<T>;

/** The same check when the title runs, for titles the compiler only knew as `string`. */
export function checked(title: string): string {
  const { unknown } = claimIdsIn(title);
  if (unknown.length > 0) {
    throw new Error(
      `'${title}' names ${unknown.join(', ')}, which is no claim: the claims are C1 to C20 and X1 to X13`,
    );
  }
  return title;
}

type Describe = jest.Describe;

/** A describe with checked titles over Jest's describe, or over describe.skip for what cannot run here. */
function describeOver(base: () => Describe) {
  return Object.assign(
    <const T extends string>(title: Title<T>, body: () => void): void => {
      base()(checked(title), body);
    },
    {
      /** `describe.each(rows)(title, body)`: one describe per row; `$field` in the title takes the row's field. */
      each:
        <Row>(rows: readonly Row[]) =>
        <const T extends string>(title: Title<T>, body: (row: Row) => void): void => {
          base().each(rows as Row[])(checked(title), (row: Row) => body(row));
        },
    },
  );
}

/**
 * Jest's `describe`, for spec files: the claim IDs a title names in parentheses, `(C3, C10)`, say which claims every
 * test inside bears on, and the report derives each claim's verdict from those tests. So the IDs are checked: a
 * title that names an ID of no claim does not compile (or, when built at run time, does not run).
 * `describe.skipUnless(condition)` registers its tests as skipped where the target cannot give what they need: the
 * report then says `not run` for their claims, never that they passed.
 */
export const describe = Object.assign(
  describeOver(() => globalThis.describe),
  {
    skipUnless: (condition: boolean) =>
      describeOver(() => (condition ? globalThis.describe : globalThis.describe.skip)),
  },
);

/** Jest's `it`, with the claim IDs of its title checked as `describe`'s are. */
export const it = Object.assign(
  <const T extends string>(
    title: Title<T>,
    body: jest.ProvidesCallback,
    timeoutMs?: number,
  ): void => {
    globalThis.it(checked(title), body, timeoutMs);
  },
  {
    /** `it.each(rows)(title, body)`: one test per row; `$field` in the title takes the row's field. */
    each:
      <Row>(rows: readonly Row[]) =>
      <const T extends string>(
        title: Title<T>,
        body: (row: Row) => Promise<void> | void,
        timeoutMs?: number,
      ): void => {
        globalThis.it.each(rows as Row[])(checked(title), (row: Row) => body(row), timeoutMs);
      },
  },
);
