import { posix } from 'node:path';
import ts from 'typescript';
import { SCOPE, type WorkspaceSources } from './package-graph';
import type { FileTree } from './repo-files';
import { workspacesOf } from './workspaces';

/** Folders that hold no sources of the package's own: installed, built, cached or generated. */
const NOT_SOURCES = new Set(['node_modules', 'dist', '.turbo', 'coverage', 'report']);
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/** Every source file under `dir`, relative to the tree's root. */
function sourceFiles(tree: FileTree, dir: string): string[] {
  return tree.list(dir).flatMap((name) => {
    const path = posix.join(dir, name);
    if (tree.isFolder(path)) return NOT_SOURCES.has(name) ? [] : sourceFiles(tree, path);
    return SOURCE_FILE.test(name) ? [path] : [];
  });
}

/** The module specifiers a source file imports: static, type-only, re-exports, require() and import(). */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** Each workspace package with the imports of its sources: src/ where it has one, else its whole folder. */
export function workspaceSourcesOf(tree: FileTree): WorkspaceSources[] {
  return workspacesOf(tree).map(({ dir, manifest }) => {
    const root = tree.isFolder(posix.join(dir, 'src')) ? posix.join(dir, 'src') : dir;
    return {
      name: (manifest.name ?? dir).replace(`${SCOPE}/`, ''),
      dir,
      manifest,
      imports: sourceFiles(tree, root).flatMap((file) =>
        importsOf(tree.read(file)).map((specifier) => ({ file, specifier })),
      ),
    };
  });
}
