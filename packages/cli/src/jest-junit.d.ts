// jest-junit ships no types: its reporter class, as far as sockspec uses it (see its README for the options).
declare module 'jest-junit' {
  export interface JestJunitOptions {
    readonly outputDirectory?: string;
    readonly outputName?: string;
    readonly suiteName?: string;
    readonly [option: string]: string | undefined;
  }
  export default class JestJunit {
    constructor(globalConfig: unknown, options?: JestJunitOptions);
  }
}
