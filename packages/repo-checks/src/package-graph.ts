import { posix } from 'node:path';
import type { ArrowKind, PackageDiagram } from './architecture-diagram';
import type { PackageManifest } from './workspaces';

/** The scope of the workspace packages; the diagram names them without it. */
export const SCOPE = '@sockspec';

/** A workspace package and every import of its sources. */
export interface WorkspaceSources {
  /** Its name without the scope: `agent`, `scenarios`. */
  readonly name: string;
  /** Its folder, relative to the root. */
  readonly dir: string;
  readonly manifest: PackageManifest;
  /** Each import of its sources: the file (relative to the root) and the specifier as written. */
  readonly imports: readonly { readonly file: string; readonly specifier: string }[];
}

export interface GraphProblems {
  /** Where the diagram and the code disagree: an arrow, a style of arrow, or a package missing or too many. */
  readonly diagram: string[];
  /** Imports of a workspace package that the importing package.json does not declare. */
  readonly undeclared: string[];
  /** Circles among the packages, through any arrow (turbo's `^build` follows devDependencies too). */
  readonly circles: string[];
}

interface Expected {
  readonly from: string;
  readonly to: string;
  readonly kind: ArrowKind;
  /** What calls for the arrow: a file that imports, or package.json. */
  readonly why: string;
}

const key = (from: string, to: string): string => `${from} → ${to}`;
const style = (kind: ArrowKind): string => (kind === 'runtime' ? 'solid (-->)' : 'dashed (-.->)');

/** The diagram's node for a path in a workspace: `<name>/<folder>` for src/<folder>/ if shown, else `<name>`. */
function nodeOf(diagram: PackageDiagram, workspace: WorkspaceSources, path: string): string {
  const folder = /^src\/([^/]+)(\/|$)/.exec(posix.relative(workspace.dir, path))?.[1];
  const sub = `${workspace.name}/${folder}`;
  return folder !== undefined && diagram.nodes.has(sub) ? sub : workspace.name;
}

/** How the workspace declares a package it imports: runtime for itself and `dependencies`, test for dev ones. */
function declaredKind(workspace: WorkspaceSources, name: string): ArrowKind | undefined {
  const { dependencies = {}, peerDependencies = {}, devDependencies = {} } = workspace.manifest;
  const full = `${SCOPE}/${name}`;
  if (name === workspace.name || full in dependencies || full in peerDependencies) return 'runtime';
  return full in devDependencies ? 'test' : undefined;
}

/** The arrows a workspace's imports call for, by `from → to`; an undeclared import is added to `undeclared`. */
function importArrows(
  diagram: PackageDiagram,
  names: ReadonlySet<string>,
  workspace: WorkspaceSources,
  undeclared: string[],
): Map<string, Expected> {
  const arrows = new Map<string, Expected>();
  for (const { file, specifier } of workspace.imports) {
    let to: string;
    let target: string;
    if (specifier.startsWith(`${SCOPE}/`)) {
      const [name = '', folder] = specifier.slice(SCOPE.length + 1).split('/');
      if (!names.has(name)) continue;
      target = name;
      const sub = `${name}/${folder}`;
      to = folder !== undefined && diagram.nodes.has(sub) ? sub : name;
    } else if (specifier.startsWith('.')) {
      const path = posix.normalize(posix.join(posix.dirname(file), specifier));
      if (!path.startsWith(`${workspace.dir}/`)) continue;
      target = workspace.name;
      to = nodeOf(diagram, workspace, path);
    } else continue;
    const from = nodeOf(diagram, workspace, file);
    if (from === to || arrows.has(key(from, to))) continue;
    const kind = declaredKind(workspace, target);
    if (kind === undefined) {
      undeclared.push(
        `${file} imports ${specifier}, but ${workspace.dir}/package.json does not declare ${SCOPE}/${target}`,
      );
    }
    arrows.set(key(from, to), { from, to, kind: kind ?? 'runtime', why: `imported by ${file}` });
  }
  return arrows;
}

/** The arrows a workspace's package.json calls for that no import of it already does: package to package. */
function declaredArrows(
  names: ReadonlySet<string>,
  workspace: WorkspaceSources,
  imported: ReadonlyMap<string, Expected>,
): Expected[] {
  const { dependencies = {}, peerDependencies = {}, devDependencies = {} } = workspace.manifest;
  const of = (node: string, name: string): boolean => node === name || node.startsWith(`${name}/`);
  const lists: [Readonly<Record<string, string>>, ArrowKind][] = [
    [dependencies, 'runtime'],
    [peerDependencies, 'runtime'],
    [devDependencies, 'test'],
  ];
  return lists.flatMap(([list, kind]) =>
    Object.keys(list)
      .filter((full) => full.startsWith(`${SCOPE}/`) && names.has(full.slice(SCOPE.length + 1)))
      .map((full) => full.slice(SCOPE.length + 1))
      .filter(
        (name) =>
          ![...imported.values()].some(
            (arrow) => of(arrow.from, workspace.name) && of(arrow.to, name),
          ),
      )
      .map((name) => ({
        from: workspace.name,
        to: name,
        kind,
        why: `declared in ${workspace.dir}/package.json`,
      })),
  );
}

/**
 * Compares the diagram's arrows with the code's: every import of one workspace package by another (or of a
 * subpath the diagram shows, such as agent/protocol, also from within its own package) and every dependency a
 * package.json declares must be an arrow, solid for `dependencies`, dashed for `devDependencies`; and every arrow
 * must be one of those.
 */
export function packageGraphProblems(
  diagram: PackageDiagram,
  workspaces: readonly WorkspaceSources[],
): GraphProblems {
  const problems: GraphProblems = { diagram: [], undeclared: [], circles: [] };
  const names = new Set(workspaces.map((workspace) => workspace.name));
  const expected = new Map<string, Expected>();
  for (const workspace of workspaces) {
    const imported = importArrows(diagram, names, workspace, problems.undeclared);
    for (const [arrowKey, arrow] of imported) expected.set(arrowKey, arrow);
    for (const arrow of declaredArrows(names, workspace, imported)) {
      expected.set(key(arrow.from, arrow.to), arrow);
    }
  }
  const drawn = new Map(diagram.arrows.map((arrow) => [key(arrow.from, arrow.to), arrow]));
  for (const [arrowKey, arrow] of expected) {
    const shown = drawn.get(arrowKey);
    if (shown === undefined) {
      problems.diagram.push(`no arrow ${arrowKey} (${arrow.why}): draw it ${style(arrow.kind)}`);
    } else if (shown.kind !== arrow.kind) {
      problems.diagram.push(`${arrowKey} (${arrow.why}) must be drawn ${style(arrow.kind)}`);
    }
  }
  for (const arrowKey of drawn.keys()) {
    if (!expected.has(arrowKey)) {
      problems.diagram.push(`the arrow ${arrowKey} is in no package.json and no import`);
    }
  }
  for (const name of names) {
    if (!diagram.nodes.has(name)) problems.diagram.push(`the diagram does not show ${name}`);
  }
  for (const node of diagram.nodes) {
    if (!names.has(node.split('/')[0] ?? '')) {
      problems.diagram.push(`the diagram shows ${node}, which is no workspace package`);
    }
  }
  problems.circles.push(...packageCircles([...expected.values()]));
  return problems;
}

/** Each circle among the packages that the arrows join (subpaths counted as their package), once. */
function packageCircles(arrows: readonly Expected[]): string[] {
  const packageOf = (node: string): string => node.split('/')[0] ?? node;
  const next = new Map<string, Set<string>>();
  for (const arrow of arrows) {
    const [from, to] = [packageOf(arrow.from), packageOf(arrow.to)];
    if (from !== to) next.set(from, (next.get(from) ?? new Set()).add(to));
  }
  const circles = new Set<string>();
  const walk = (path: readonly string[]): void => {
    for (const to of next.get(path[path.length - 1] as string) ?? []) {
      const start = path.indexOf(to);
      if (start >= 0) {
        // Written from its smallest name, so that each circle is found once.
        const circle = path.slice(start);
        const first = circle.indexOf([...circle].sort()[0] as string);
        const turned = [...circle.slice(first), ...circle.slice(0, first)];
        circles.add([...turned, turned[0]].join(' → '));
      } else walk([...path, to]);
    }
  };
  for (const from of next.keys()) walk([from]);
  return [...circles].sort();
}
