import { posix } from 'node:path';
import type { FileTree } from './repo-files';

/** The fields of a package.json that the checks read. */
export interface PackageManifest {
  readonly name?: string;
  readonly workspaces?: readonly string[];
  readonly scripts?: Readonly<Record<string, string>>;
  readonly bin?: string | Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

export interface Workspace {
  /** Its folder, relative to the root: `packages/agent`, `scenarios`. */
  readonly dir: string;
  readonly manifest: PackageManifest;
}

export function readManifest(tree: FileTree, dir: string): PackageManifest {
  return JSON.parse(tree.read(posix.join(dir, 'package.json'))) as PackageManifest;
}

/** The root's workspaces, as its package.json lists them: folders, or `folder/*` for each folder under one. */
export function workspacesOf(tree: FileTree): Workspace[] {
  const dirs = (readManifest(tree, '.').workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    if (pattern.slice(0, -2).includes('*'))
      throw new Error(`workspace pattern not read: ${pattern}`);
    const parent = pattern.slice(0, -2);
    return tree.list(parent).map((name) => `${parent}/${name}`);
  });
  return dirs
    .filter((dir) => tree.exists(posix.join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: readManifest(tree, dir) }));
}

/** The command names a package.json's `bin` gives (a bare string is named after the package). */
export function binNames(manifest: PackageManifest): string[] {
  if (manifest.bin === undefined) return [];
  if (typeof manifest.bin === 'string') return [(manifest.name ?? '').replace(/^@[^/]+\//, '')];
  return Object.keys(manifest.bin);
}
