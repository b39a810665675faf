import { stripVTControlCharacters } from 'node:util';

/** The most of a failure's first line the claims table shows: more would wrap over several lines. */
const MAX_LINE = 160;

/** A stack frame (`    at parse (/x/y.ts:12:5)`): never a failure's summary. */
const STACK_FRAME = /^at .+(:\d+:\d+\)?|\(native\))$/;

/** A failure message without terminal colour codes, as a page shows it. */
export function plainFailure(message: string): string {
  return stripVTControlCharacters(message).trimEnd();
}

/** A failure's first line with text: no colour codes, no stack frame, cut to MAX_LINE characters. */
export function failureSummary(message: string): string {
  const line =
    plainFailure(message)
      .split('\n')
      .map((text) => text.trim())
      .find((text) => text !== '' && !STACK_FRAME.test(text)) ?? 'failed without a message';
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}
