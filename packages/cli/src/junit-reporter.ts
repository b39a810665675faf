import JestJunit, { type JestJunitOptions } from 'jest-junit';
import { reportDir } from '@sockspec/records';

/** The JUnit XML file CI systems read, in the report folder beside index.html. */
export const JUNIT_FILE = 'junit.xml';

/**
 * The maintained jest-junit reporter, writing report/junit.xml (or SOCKSPEC_REPORT_DIR's): `npm test` names it in
 * the scenarios' Jest config and `sockspec run` on Jest's command line, which takes no reporter options.
 * Options given in a Jest config, and jest-junit's own JEST_JUNIT_* variables, still win.
 */
export default class JunitReporter extends JestJunit {
  constructor(globalConfig: unknown, options: JestJunitOptions = {}) {
    super(globalConfig, {
      outputDirectory: reportDir(),
      outputName: JUNIT_FILE,
      suiteName: 'sockspec',
      ...options,
    });
  }
}
