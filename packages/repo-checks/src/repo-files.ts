import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's root: this package sits at packages/repo-checks, and runs from src/ or dist/. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** What a check may ask of a file tree: whether a path exists, a file's text, a folder's entries. */
export interface FileTree {
  /** True when `path` (relative to the tree's root, `/`-separated) is a file or a folder. */
  exists(path: string): boolean;
  isFolder(path: string): boolean;
  read(path: string): string;
  /** A folder's entries' names, sorted. */
  list(path: string): string[];
}

/** The file tree under `root` on disk. */
export function diskTree(root: string = REPO_ROOT): FileTree {
  return {
    exists: (path) => existsSync(join(root, path)),
    isFolder: (path) =>
      statSync(join(root, path), { throwIfNoEntry: false })?.isDirectory() === true,
    read: (path) => readFileSync(join(root, path), 'utf8'),
    list: (path) => readdirSync(join(root, path)).sort(),
  };
}

/** A file tree held in memory, for unit tests: file paths to texts; every folder above a file exists. */
export function memoryTree(files: Readonly<Record<string, string>>): FileTree {
  const paths = Object.keys(files);
  const under = (path: string): string[] =>
    paths.filter((file) => path === '.' || path === '' || file.startsWith(`${path}/`));
  return {
    exists: (path) => path in files || under(path.replace(/\/$/, '')).length > 0,
    isFolder: (path) => !(path in files) && under(path.replace(/\/$/, '')).length > 0,
    read: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`no such file: ${path}`);
      return text;
    },
    list: (path) => {
      const prefix = path === '.' || path === '' ? '' : `${path}/`;
      const names = under(path).map((file) => file.slice(prefix.length).split('/')[0] ?? '');
      return [...new Set(names)].sort();
    },
  };
}
