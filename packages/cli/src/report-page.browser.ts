import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readRunData, reportDir } from '@sockspec/records';
import { cliConfig } from './cli-config';
import { scenariosDir } from './run-suite';
import { listScenarios } from './scenario-list';

/**
 * Opens the report the scenario run just wrote in headless Chromium (Debian's, at /usr/bin/chromium, or
 * SOCKSPEC_CHROMIUM) and checks that every scenario's timeline is drawn; saves a screenshot beside the report.
 */
const page = join(reportDir(), 'index.html');
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

  it('shows the claims table with a verdict for each of the 27 claims', async () => {
    const verdicts = await tab.locator('#claims tr.claim td.verdict').allTextContents();
    expect(verdicts).toHaveLength(27);
    for (const verdict of verdicts)
      expect(['holds', 'holds-with-nuance', 'differs', 'failed', 'not run']).toContain(verdict);
  });

  it('shows why a claim failed or did not run, in place of findings', async () => {
    const rows = await tab.locator('#claims tr.claim').all();
    for (const row of rows) {
      const verdict = await row.getAttribute('data-verdict');
      const reasons = await row.locator('pre.reason').count();
      expect({ verdict, explained: reasons > 0 }).toEqual({
        verdict,
        explained: verdict === 'failed' || verdict === 'not run',
      });
    }
  });

  it("links each kernel's saved evidence: its net.* sysctls", async () => {
    const links = await tab
      .locator('#kernels a')
      .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(existsSync(join(reportDir(), link))).toBe(true);
  });

  it('saves a screenshot beside the report', async () => {
    const file = join(reportDir(), 'screenshot.png');
    await tab.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
  });
});
