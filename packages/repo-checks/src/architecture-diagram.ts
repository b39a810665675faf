/** How an arrow of the diagram is drawn: solid (`-->`) for what a package needs to run, dashed (`-.->`) for tests. */
export type ArrowKind = 'runtime' | 'test';

export interface DiagramArrow {
  /** Package names without the scope, or a subpath a package exports: `cli`, `agent/protocol`. */
  readonly from: string;
  readonly to: string;
  readonly kind: ArrowKind;
}

export interface PackageDiagram {
  /** The packages (and exported subpaths) the diagram shows. */
  readonly nodes: ReadonlySet<string>;
  readonly arrows: readonly DiagramArrow[];
}

const NODE = /^\s*(\w+)\["([^"]+)"\]\s*$/;
const IDS = String.raw`\w+(?:\s*&\s*\w+)*`;
const ARROW = new RegExp(String.raw`^\s*(${IDS})\s*(-->|-\.->)\s*(${IDS})\s*$`);
const SKIPPED = /^\s*(%%.*|(flowchart|graph)\s+\w+\s*)?$/;

/**
 * The package graph of the one Mermaid block of a Markdown text (docs/architecture.md). Each node is declared as
 * `id["<package>: what it is"]`, the package named without its scope (`agent/protocol` for a subpath); arrows are
 * `a --> b` or `a -.-> b`, either side a node or `&`-joined nodes. Any other line is an error, so that no arrow
 * is skipped unread.
 */
export function packageDiagram(markdown: string): PackageDiagram {
  const blocks = [...markdown.matchAll(/^```mermaid[ \t]*\n([\s\S]*?)^```/gm)];
  if (blocks.length !== 1) throw new Error(`expected one mermaid block, found ${blocks.length}`);
  const names = new Map<string, string>();
  const arrows: DiagramArrow[] = [];
  const lines = (blocks[0]?.[1] ?? '').split('\n');
  const nameOf = (id: string): string => {
    const name = names.get(id);
    if (name === undefined)
      throw new Error(`diagram: ${id} is used before it is declared as ${id}["name: ..."]`);
    return name;
  };
  for (const line of lines) {
    const node = NODE.exec(line);
    const arrow = ARROW.exec(line);
    if (node !== null) {
      names.set(node[1] as string, (node[2] as string).split(':')[0]?.trim() ?? '');
    } else if (arrow !== null) {
      const split = (ids: string): string[] => ids.split('&').map((id) => nameOf(id.trim()));
      const kind: ArrowKind = arrow[2] === '-->' ? 'runtime' : 'test';
      for (const from of split(arrow[1] as string)) {
        for (const to of split(arrow[3] as string)) arrows.push({ from, to, kind });
      }
    } else if (!SKIPPED.test(line)) {
      throw new Error(`diagram: line not read: ${line.trim()}`);
    }
  }
  return { nodes: new Set(names.values()), arrows };
}
