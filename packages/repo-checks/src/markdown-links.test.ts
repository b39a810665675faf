import { brokenLinks, headingAnchors, headingSlug, linksIn } from './markdown-links';
import { diskTree, memoryTree } from './repo-files';

describe('linksIn', () => {
  it('reads inline links, images, <targets>, titles and reference definitions, with the lines of their targets', () => {
    const markdown = [
      'See [the docs](docs/a.md) and ![a picture](img/b.png "B").',
      'A [link that',
      'wraps](<docs/with space.md>) and [one](#usage).',
      '[ref]: https://example.com/x',
    ].join('\n');
    expect(linksIn(markdown)).toEqual([
      { target: 'docs/a.md', line: 1 },
      { target: 'img/b.png', line: 1 },
      { target: 'docs/with space.md', line: 3 },
      { target: '#usage', line: 3 },
      { target: 'https://example.com/x', line: 4 },
    ]);
  });

  it('leaves out what code blocks and inline code show', () => {
    const markdown = [
      '```ts',
      'const a = [x](not/a/link.md);',
      '```',
      'and `[y](nor/this.md)`',
    ].join('\n');
    expect(linksIn(markdown)).toEqual([]);
  });
});

describe('headingAnchors', () => {
  it("makes GitHub's anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered", () => {
    expect(headingSlug('Check your own server')).toBe('check-your-own-server');
    expect(headingSlug('`npm test`: what runs, & why (C1..C20)')).toBe(
      'npm-test-what-runs--why-c1c20',
    );
    expect(headingSlug('The [report](docs/r.md) _as_ seen')).toBe('the-report-_as_-seen');
    const markdown = ['# Usage', '## Usage', '```', '# not a heading', '```', '### Claims ##'].join(
      '\n',
    );
    expect([...headingAnchors(markdown)]).toEqual(['usage', 'usage-1', 'claims']);
  });
});

describe('brokenLinks', () => {
  const tree = memoryTree({
    'README.md': [
      '# Title',
      '## Claims',
      '[claims](#claims), [docs](docs/arch.md), [up](docs/arch.md#layers), [folder](examples/own)',
      '[web](https://example.com) and [mail](mailto:a@b.c)',
    ].join('\n'),
    'docs/arch.md': '# Layers\n[back](../README.md#title) [sibling](bench.md)',
    'docs/bench.md': '',
    'examples/own/package.json': '{}',
  });

  it('passes links to files, folders and headings that exist, and skips URLs', () => {
    expect(brokenLinks(tree, 'README.md')).toEqual([]);
    expect(brokenLinks(tree, 'docs/arch.md')).toEqual([]);
  });

  it('fails a link to a missing file, a missing heading, or out of the repository', () => {
    const broken = memoryTree({
      'README.md': [
        '# Title',
        '[moved](packages/testkit/src/sweep-vms.test.ts)',
        '[gone](#usage) [elsewhere](docs/a.md#nope) [out](../x.md)',
      ].join('\n'),
      'docs/a.md': '# Yes',
    });
    expect(brokenLinks(broken, 'README.md')).toEqual([
      'README.md:2: packages/testkit/src/sweep-vms.test.ts: no such file or folder (packages/testkit/src/sweep-vms.test.ts)',
      'README.md:3: #usage: README.md has no heading with that anchor',
      'README.md:3: docs/a.md#nope: docs/a.md has no heading with that anchor',
      'README.md:3: ../x.md: no such file or folder (../x.md)',
    ]);
  });
});

describe("the repository's Markdown", () => {
  const tree = diskTree();
  const files = [
    'README.md',
    ...tree
      .list('docs')
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];

  it.each(files)('%s links only to files, folders and headings that exist', (file) => {
    expect(brokenLinks(tree, file)).toEqual([]);
  });
});
