/**
 * A shell script split into simple commands and their words, as far as a check needs: quotes removed, comments
 * and line continuations dropped, commands split at newlines, `;`, `&&`, `||`, `|` and `&`. Not a shell: no
 * expansion, no here-documents, no nesting beyond quotes.
 */
export function simpleCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  const endWord = (): void => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const char = script[i] as string;
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else word = (word ?? '') + char;
      continue;
    }
    if (char === '\\' && script[i + 1] === '\n') {
      i++;
      endWord();
    } else if (char === '"' || char === "'") {
      quote = char;
      word = word ?? '';
    } else if (char === '#' && word === undefined) {
      while (i + 1 < script.length && script[i + 1] !== '\n') i++;
    } else if (char === '\n' || char === ';' || char === '|' || char === '&') {
      endCommand();
    } else if (char === ' ' || char === '\t') {
      endWord();
    } else {
      word = (word ?? '') + char;
    }
  }
  endCommand();
  return commands;
}
