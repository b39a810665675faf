import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLAIMS } from '@sockspec/claims';
import { readRunData, reportDir } from '@sockspec/records';
import { conversationsOf } from '@sockspec/report';
import { cliConfig } from './cli-config';
import { scenariosDir } from './run-suite';
import { listScenarios } from './scenario-list';

/**
 * Opens the report the scenario run just wrote in headless Chromium (Debian's, at /usr/bin/chromium, or
 * SOCKSPEC_CHROMIUM) and checks that every scenario's timeline and every captured connection's ladder is drawn,
 * that no two labels of a ladder overlap as the browser lays them out, and that no id repeats; saves screenshots.
 */
const page = join(reportDir(), 'index.html');
/** A text's box on the page, as getBoundingClientRect gives it. */
interface Rect {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}
const executablePath = cliConfig().chromium;
let browser: Browser;
let tab: Page;

beforeAll(async () => {
  if (!existsSync(page))
    throw new Error(`${page} is missing: run the scenarios first (npm test does, before this)`);
  if (!existsSync(executablePath)) {
    throw new Error(
      `no Chromium at ${executablePath}. Hint: apt-get install chromium, or set SOCKSPEC_CHROMIUM`,
    );
  }
  browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await tab.goto(`file://${page}`);
});
afterAll(async () => {
  await browser?.close();
});

describe('the report in a browser', () => {
  it('has a section for every scenario file that checks claims and ran on this target', async () => {
    const drawn = await tab
      .locator('section.scenario')
      .evaluateAll((sections) => sections.map((section) => section.getAttribute('data-scenario')));
    // A spec the target cannot run (two hosts, on a VM) leaves no record and has no section; its claims read
    // `not run` in the table.
    const ran = new Set(readRunData(reportDir()).records.map((record) => record.scenario));
    const files = listScenarios(scenariosDir())
      .filter((scenario) => scenario.claims.length > 0 && ran.has(scenario.file))
      .map((scenario) => scenario.file);
    expect(files.length).toBeGreaterThan(0);
    expect(drawn.sort()).toEqual(files.sort());
  });

  it("draws every scenario's timeline with lanes and visible state bars", async () => {
    const sections = await tab.locator('section.scenario').all();
    for (const section of sections) {
      const name = await section.getAttribute('data-scenario');
      const lanes = await section.locator('svg.timeline g.lane').count();
      const bars = section.locator('svg.timeline rect.state-bar');
      expect({ name, lanes: lanes > 0, bars: (await bars.count()) > 0 }).toEqual({
        name,
        lanes: true,
        bars: true,
      });
      const box = await bars.first().boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(0);
    }
  });

  it('shows the claims table with a verdict for each claim', async () => {
    const verdicts = await tab.locator('#claims tr.claim td.verdict').allTextContents();
    expect(verdicts).toHaveLength(CLAIMS.length);
    for (const verdict of verdicts)
      expect(['holds', 'holds-with-nuance', 'differs', 'failed', 'not run']).toContain(verdict);
  });

  it('shows why a claim failed or did not run, in place of findings', async () => {
    const rows = await tab.locator('#claims tr.claim').all();
    for (const row of rows) {
      const verdict = await row.getAttribute('data-verdict');
      const reasons = await row.locator('.reason').count();
      expect({ verdict, explained: reasons > 0 }).toEqual({
        verdict,
        explained: verdict === 'failed' || verdict === 'not run',
      });
    }
  });

  it("shows each failed claim's failure in at most 3 lines of the claims table", async () => {
    const reasons = await tab.locator('#claims tr.claim[data-verdict="failed"] .reason').all();
    for (const reason of reasons) {
      // In lines of the first failure's height: one line, as it never wraps.
      const lines = await reason.evaluate((element) => {
        const line = element.firstElementChild?.getBoundingClientRect().height ?? 1;
        return Math.round(element.getBoundingClientRect().height / line);
      });
      expect(lines).toBeLessThanOrEqual(3);
    }
  });

  it("links each kernel's saved evidence: its net.* sysctls", async () => {
    const links = await tab
      .locator('#kernels a')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(existsSync(join(reportDir(), link))).toBe(true);
  });

  it('draws a ladder for every captured conversation, each segment an arrow group with its label', async () => {
    const { records } = readRunData(reportDir());
    for (const section of await tab.locator('section.scenario').all()) {
      const scenario = await section.getAttribute('data-scenario');
      const expected = records
        .filter((record) => record.scenario === scenario && record.changes.length > 0)
        .reduce((sum, record) => sum + conversationsOf(record.segments, []).length, 0);
      const drawn = await section.locator('figure.target svg[data-kind="ladder"]').count();
      expect({ scenario, ladders: drawn }).toEqual({ scenario, ladders: expected });
    }
    const groups = await tab
      .locator('svg[data-kind="ladder"] g[data-segment]')
      .evaluateAll((all) => all.map((group) => group.querySelectorAll('text').length));
    expect(groups.length).toBeGreaterThan(0);
    expect(groups.filter((texts) => texts !== 1)).toEqual([]);
  });

  it('shows the teardown as the article draws it beside what the kernel did, for four and three segments', async () => {
    const pairs = tab.locator('.article-vs-kernel .pair');
    expect(
      await pairs.evaluateAll((all) => all.map((pair) => pair.getAttribute('data-case'))),
    ).toEqual(['four-segment', 'three-segment']);
    for (const pair of await pairs.all()) {
      expect(
        await pair.locator('figure[data-source="article"] svg[data-kind="ladder"]').count(),
      ).toBe(1);
      await expect(pair.locator('figure[data-source="article"]').textContent()).resolves.toContain(
        'not a measurement',
      );
    }
    // The four-segment close is every run's first story; the merged one is a race the kernel may not run.
    const measured = tab.locator(
      '.pair[data-case="four-segment"] figure[data-source="kernel"] g[data-segment]',
    );
    expect(await measured.count()).toBe(4);
  });

  it('lays out no two labels of a ladder over each other, as Chromium renders them', async () => {
    const clashes = await tab.locator('svg[data-kind="ladder"]').evaluateAll((ladders) =>
      ladders.flatMap((ladder) => {
        const boxes = [...ladder.querySelectorAll('text')].map((text) => ({
          text: text.textContent ?? '',
          box: text.getBoundingClientRect(),
        }));
        // Half a pixel of slack for glyph rounding: touching is not overlapping.
        const overlap = (a: Rect, b: Rect): boolean =>
          a.left + 0.5 < b.right &&
          b.left + 0.5 < a.right &&
          a.top + 0.5 < b.bottom &&
          b.top + 0.5 < a.bottom;
        return boxes.flatMap((a, i) =>
          boxes
            .slice(i + 1)
            .filter((b) => overlap(a.box, b.box))
            .map(
              (b) =>
                `${ladder.id || ladder.getAttribute('aria-labelledby')}: "${a.text}" / "${b.text}"`,
            ),
        );
      }),
    );
    expect(await tab.locator('svg[data-kind="ladder"]').count()).toBeGreaterThan(0);
    expect(clashes).toEqual([]);
  });

  it('has no duplicate ids, and every in-page link and marker reference finds its target', async () => {
    const ids = await tab.locator('[id]').evaluateAll((all) => all.map((element) => element.id));
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    const links = await tab
      .locator('a[href^="#"]')
      .evaluateAll((all) => all.map((a) => a.getAttribute('href')?.slice(1) ?? ''));
    const markers = await tab
      .locator('[marker-end]')
      .evaluateAll((all) =>
        all.map((line) => /url\(#([^)]*)\)/.exec(line.getAttribute('marker-end') ?? '')?.[1] ?? ''),
      );
    const refs = [...links, ...markers];
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => !ids.includes(ref))).toEqual([]);
  });

  it("links each claim to its scenarios' sections", async () => {
    const links = await tab
      .locator('#claims td.where a')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(await tab.locator(`section.scenario${link}`).count()).toBe(1);
  });

  it('saves a screenshot beside the report', async () => {
    const file = join(reportDir(), 'screenshot.png');
    await tab.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
    // The teardown's ladders alone: the README's picture is taken from this one.
    const ladders = join(reportDir(), 'teardown-ladders.png');
    await tab.locator('.article-vs-kernel').first().screenshot({ path: ladders });
    expect(existsSync(ladders)).toBe(true);
  });
});
