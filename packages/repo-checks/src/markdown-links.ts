import { posix } from 'node:path';
import type { FileTree } from './repo-files';

/** A link of a Markdown text: its target as written, and the line the target is on (from 1). */
export interface MarkdownLink {
  readonly target: string;
  readonly line: number;
}

/** Code blanked out, its lines kept: what code shows is not read as links or headings. */
const blank = (code: string): string => code.replace(/[^\n]/g, ' ');

/** Fenced code blocks blanked out; inline code kept (a heading's `code` is part of its anchor). */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^([ \t]*)(```|~~~)[^\n]*\n[\s\S]*?^[ \t]*\2[^\n]*$/gm, blank);
}

/** Fenced blocks and inline code spans blanked out. */
function withoutCode(markdown: string): string {
  return withoutCodeBlocks(markdown).replace(/(`+)[\s\S]*?\1/g, blank);
}

const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/**
 * Every link and image of a Markdown text: inline `[text](target "title")`, `<target>` in the parentheses, and
 * reference definitions `[label]: target`. Links in code are left out.
 */
export function linksIn(markdown: string): MarkdownLink[] {
  const text = withoutCode(markdown);
  const links: MarkdownLink[] = [];
  for (const match of text.matchAll(/\]\(\s*(?:<([^>\n]*)>|([^\s)]+))(?:\s+"[^"]*")?\s*\)/g)) {
    links.push({ target: match[1] ?? match[2] ?? '', line: lineAt(text, match.index) });
  }
  for (const match of text.matchAll(/^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)>?/gm)) {
    links.push({ target: match[1] ?? '', line: lineAt(text, match.index) });
  }
  return links.sort((a, b) => a.line - b.line);
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or image shows its text
    .replace(/<[^>]+>/g, '') // HTML tags show nothing
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

/** The anchors of a Markdown text's headings (ATX `#` headings, outside code); a repeated one gets `-1`, `-2`... */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of withoutCodeBlocks(markdown).matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$/gm)) {
    const slug = headingSlug(match[1] ?? '');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** A target that leaves the repository: a URL with a scheme (https:, mailto:) or a protocol-relative one. */
const isExternal = (target: string): boolean =>
  /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/**
 * The links of `file` (a Markdown file of `tree`) that lead nowhere: a relative path that is neither a file nor a
 * folder, or a `#anchor` (of this file, or of another Markdown file) that no heading has. One line each.
 */
export function brokenLinks(tree: FileTree, file: string): string[] {
  const markdown = tree.read(file);
  const problems: string[] = [];
  for (const { target, line } of linksIn(markdown)) {
    if (isExternal(target)) continue;
    const [rawPath = '', anchor] = target.split('#', 2);
    const path = decodeURIComponent(rawPath);
    const resolved =
      path === ''
        ? file
        : posix.normalize(
            path.startsWith('/') ? path.slice(1) : posix.join(posix.dirname(file), path),
          );
    const where = `${file}:${line}: ${target}`;
    if (resolved.startsWith('../') || !tree.exists(resolved)) {
      problems.push(`${where}: no such file or folder (${resolved})`);
    } else if (anchor !== undefined && anchor !== '' && resolved.endsWith('.md')) {
      if (!headingAnchors(tree.read(resolved)).has(decodeURIComponent(anchor).toLowerCase())) {
        problems.push(`${where}: ${resolved} has no heading with that anchor`);
      }
    }
  }
  return problems;
}
