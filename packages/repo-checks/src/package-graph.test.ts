import { packageDiagram } from './architecture-diagram';
import { packageGraphProblems, type WorkspaceSources } from './package-graph';
import { diskTree } from './repo-files';
import { workspaceSourcesOf } from './workspace-sources';

/** A Markdown text with one Mermaid diagram of these lines. */
const doc = (...lines: string[]): string =>
  ['# Architecture', '', '```mermaid', 'flowchart TD', ...lines, '```', ''].join('\n');

const NODES = [
  '  cli["cli: the command"]',
  '  kit["testkit: what a spec imports"]',
  '  protocol["agent/protocol: wire types"]',
  '  agent["agent: the daemon"]',
  '  support["test-support: for tests"]',
];

const workspace = (
  name: string,
  manifest: WorkspaceSources['manifest'],
  imports: Record<string, string[]> = {},
): WorkspaceSources => ({
  name,
  dir: `packages/${name}`,
  manifest,
  imports: Object.entries(imports).flatMap(([file, specifiers]) =>
    specifiers.map((specifier) => ({ file: `packages/${name}/src/${file}`, specifier })),
  ),
});

/** cli runs testkit and reads the protocol, testkit speaks the protocol, the agent serves it; tests use support. */
const WORKSPACES: WorkspaceSources[] = [
  workspace(
    'cli',
    { dependencies: { '@sockspec/testkit': '0.1.0', '@sockspec/agent': '0.1.0' } },
    { 'run.ts': ['@sockspec/testkit/runner', 'node:fs'], 'watch.ts': ['@sockspec/agent/protocol'] },
  ),
  workspace(
    'testkit',
    {
      dependencies: { '@sockspec/agent': '0.1.0' },
      devDependencies: { '@sockspec/test-support': '0.1.0' },
    },
    { 'client.ts': ['@sockspec/agent/protocol', './wait'], 'wait.ts': ['zx'] },
  ),
  workspace(
    'agent',
    { devDependencies: { '@sockspec/test-support': '0.1.0' } },
    {
      'agent-routes.ts': ['./protocol', '../package.json'],
      'protocol/index.ts': ['./api'],
      'router.test.ts': ['@sockspec/test-support'],
    },
  ),
  workspace('test-support', {}),
];

const ARROWS = [
  '  cli --> kit & protocol',
  '  kit --> protocol',
  '  agent --> protocol',
  '  kit & agent -.-> support',
];

describe('packageDiagram', () => {
  it('reads the nodes by their package names and each arrow of an &-list, solid or dashed', () => {
    const diagram = packageDiagram(doc(...NODES, '', '%% a comment', ...ARROWS));
    expect([...diagram.nodes]).toEqual([
      'cli',
      'testkit',
      'agent/protocol',
      'agent',
      'test-support',
    ]);
    expect(diagram.arrows).toEqual([
      { from: 'cli', to: 'testkit', kind: 'runtime' },
      { from: 'cli', to: 'agent/protocol', kind: 'runtime' },
      { from: 'testkit', to: 'agent/protocol', kind: 'runtime' },
      { from: 'agent', to: 'agent/protocol', kind: 'runtime' },
      { from: 'testkit', to: 'test-support', kind: 'test' },
      { from: 'agent', to: 'test-support', kind: 'test' },
    ]);
  });

  it('fails on a line it cannot read and on a node never declared, rather than skipping an arrow', () => {
    expect(() => packageDiagram(doc(...NODES, '  cli -- runs --> kit'))).toThrow(
      'diagram: line not read: cli -- runs --> kit',
    );
    expect(() => packageDiagram(doc(...NODES, '  cli --> report'))).toThrow(
      'diagram: report is used before it is declared',
    );
    expect(() => packageDiagram('# no diagram')).toThrow('expected one mermaid block, found 0');
  });
});

describe('packageGraphProblems', () => {
  it('passes a diagram whose arrows are the imports and the package.json dependencies', () => {
    const diagram = packageDiagram(doc(...NODES, ...ARROWS));
    expect(packageGraphProblems(diagram, WORKSPACES)).toEqual({
      diagram: [],
      undeclared: [],
      circles: [],
    });
  });

  it('fails when an import or a dependency has no arrow, or an arrow has the wrong style', () => {
    const diagram = packageDiagram(
      doc(
        ...NODES,
        '  cli --> kit',
        '  kit --> protocol',
        '  agent -.-> protocol',
        '  kit -.-> support',
      ),
    );
    expect(packageGraphProblems(diagram, WORKSPACES).diagram).toEqual([
      'no arrow cli → agent/protocol (imported by packages/cli/src/watch.ts): draw it solid (-->)',
      'agent → agent/protocol (imported by packages/agent/src/agent-routes.ts) must be drawn solid (-->)',
      'no arrow agent → test-support (imported by packages/agent/src/router.test.ts): draw it dashed (-.->)',
    ]);
  });

  it('fails an arrow that no import and no package.json has, and a package the diagram leaves out', () => {
    const diagram = packageDiagram(
      doc(
        ...NODES.slice(0, 4),
        '  report["report: pure"]',
        ...ARROWS.slice(0, 3),
        '  cli --> report',
      ),
    );
    expect(packageGraphProblems(diagram, WORKSPACES).diagram).toEqual([
      'no arrow testkit → test-support (declared in packages/testkit/package.json): draw it dashed (-.->)',
      'no arrow agent → test-support (imported by packages/agent/src/router.test.ts): draw it dashed (-.->)',
      'the arrow cli → report is in no package.json and no import',
      'the diagram does not show test-support',
      'the diagram shows report, which is no workspace package',
    ]);
  });

  it('reports an import of a workspace package that package.json does not declare', () => {
    const [cli, ...rest] = WORKSPACES;
    const undeclaring = {
      ...(cli as WorkspaceSources),
      manifest: { dependencies: { '@sockspec/testkit': '0.1.0' } },
    };
    expect(
      packageGraphProblems(packageDiagram(doc(...NODES, ...ARROWS)), [undeclaring, ...rest])
        .undeclared,
    ).toEqual([
      'packages/cli/src/watch.ts imports @sockspec/agent/protocol, but packages/cli/package.json does not declare @sockspec/agent',
    ]);
  });

  it('reports a circle among the packages, test-only arrows included', () => {
    const circular = [
      ...WORKSPACES.slice(0, 3),
      workspace('test-support', { dependencies: { '@sockspec/testkit': '0.1.0' } }),
    ];
    const diagram = packageDiagram(doc(...NODES, ...ARROWS, '  support --> kit'));
    expect(packageGraphProblems(diagram, circular)).toMatchObject({
      diagram: [],
      circles: ['agent → test-support → testkit → agent', 'test-support → testkit → test-support'],
    });
  });
});

describe('docs/architecture.md', () => {
  const tree = diskTree();
  const problems = packageGraphProblems(
    packageDiagram(tree.read('docs/architecture.md')),
    workspaceSourcesOf(tree),
  );

  it('shows every package, and an arrow for each import and dependency among them, and no other', () => {
    expect(problems.diagram).toEqual([]);
  });

  it('matches package.json files that declare every workspace package their sources import', () => {
    expect(problems.undeclared).toEqual([]);
  });

  it('draws a package graph without circles', () => {
    expect(problems.circles).toEqual([]);
  });
});
