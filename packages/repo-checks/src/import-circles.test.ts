import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { circlesIn, cruise } from './import-circles';

describe('circlesIn', () => {
  it('writes each no-circular violation as its circle, and leaves other rules out', () => {
    const result = {
      summary: {
        violations: [
          {
            type: 'cycle',
            from: 'src/a.ts',
            rule: { name: 'no-circular' },
            cycle: [{ name: 'src/b.ts' }, { name: 'src/a.ts' }],
          },
          { type: 'dependency', from: 'src/c.ts', rule: { name: 'no-orphans' } },
        ],
      },
    };
    expect(circlesIn(result)).toEqual(['src/a.ts → src/b.ts → src/a.ts']);
  });
});

describe("the repository's dependency-cruiser rules", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'repo-checks-circles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (files: Record<string, string>): void => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  };

  it('find a circle that is type-only in one direction', () => {
    write({
      'network.ts':
        "import { Bridge } from './bridge';\nexport interface Network { name: string }\nexport const make = () => new Bridge();\n",
      'bridge.ts':
        "import type { Network } from './network';\nexport class Bridge implements Network { name = 'b' }\n",
    });
    expect(circlesIn(cruise(['.'], dir))).toEqual(['bridge.ts → network.ts → bridge.ts']);
  }, 30_000);

  it('find none once the shared type lives apart', () => {
    write({
      'network-type.ts': 'export interface Network { name: string }\n',
      'network.ts': "import { Bridge } from './bridge';\nexport const make = () => new Bridge();\n",
      'bridge.ts':
        "import type { Network } from './network-type';\nexport class Bridge implements Network { name = 'b' }\n",
    });
    expect(circlesIn(cruise(['.'], dir))).toEqual([]);
  }, 30_000);
});
