import { readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { HttpError, badRequest } from '../http-error';
import { inNamespaceOf } from './run-tool';

const SYSCTL_NAME = /^net\.[a-z0-9_]+(\.[a-z0-9_-]+)+$/;

function procPath(name: string): string {
  return `/proc/sys/${name.replace(/\./g, '/')}`;
}

/** The value in the kernel's first namespace (where the supervisor runs), or undefined where it has none. */
function rootValue(name: string): string | undefined {
  try {
    return readFileSync(procPath(name), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A sysctl a target asked for that it cannot have on this kernel: 422, with what to do about it. */
function notPerNamespace(name: string, why: string): HttpError {
  return new HttpError(
    422,
    'sysctl-not-per-namespace',
    `${name} ${why} on Linux ${release()}, so a target cannot set it for itself. Hint: leave it out on this ` +
      'kernel (sysctlsIfPresent), or run the spec in a container or on another kernel',
  );
}

/**
 * Sets `net.*` sysctls in the namespace of `pid`, checking that each is really that namespace's own: present
 * there, and the kernel's first namespace unchanged by the write. `ifPresent` ones the namespace lacks are skipped.
 */
export async function setNamespaceSysctls(
  pid: number,
  required: Readonly<Record<string, string | number>>,
  ifPresent: Readonly<Record<string, string | number>>,
): Promise<{ applied: Record<string, string>; skipped: string[] }> {
  const wanted = [
    ...Object.entries(ifPresent).map(([name, value]) => ({
      name,
      value: String(value),
      required: false,
    })),
    ...Object.entries(required).map(([name, value]) => ({
      name,
      value: String(value),
      required: true,
    })),
  ];
  for (const { name } of wanted) {
    if (!SYSCTL_NAME.test(name)) throw badRequest(`'${name}' is not a net.* sysctl name`);
  }
  if (wanted.length === 0) return { applied: {}, skipped: [] };
  const before = wanted.map(({ name }) => rootValue(name));
  // One shell in the namespace: for each, "set", "missing" or "failed", in order; values passed as arguments.
  const script = wanted
    .map(
      ({ name }, i) =>
        `if [ -e ${procPath(name)} ]; then if printf '%s' "$${i + 1}" > ${procPath(name)}; then echo set; ` +
        `else echo failed; fi; else echo missing; fi`,
    )
    .join('\n');
  const outcomes = (
    await inNamespaceOf(
      pid,
      script,
      wanted.map(({ value }) => value),
    )
  )
    .trim()
    .split('\n');
  const applied: Record<string, string> = {};
  const skipped: string[] = [];
  for (const [i, { name, value, required: needed }] of wanted.entries()) {
    const outcome = outcomes[i];
    if (outcome === 'set') {
      const after = rootValue(name);
      if (after !== before[i] && after === value) {
        writeFileSync(procPath(name), before[i] ?? '');
        throw notPerNamespace(
          name,
          'is one value for the whole kernel (setting it in a target changed it everywhere)',
        );
      }
      applied[name] = value;
    } else if (outcome === 'missing') {
      if (needed) {
        throw before[i] === undefined
          ? new HttpError(422, 'sysctl-missing', `Linux ${release()} has no ${name}`)
          : notPerNamespace(name, 'exists only in the first network namespace');
      }
      skipped.push(name);
    } else {
      throw new HttpError(
        422,
        'sysctl-refused',
        `the kernel refused ${name}=${value} in the target's namespace`,
      );
    }
  }
  return { applied, skipped };
}
