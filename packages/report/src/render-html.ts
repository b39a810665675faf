import type { TimelineRecord } from '@sockspec/records';
import { failureIds, sectionId } from './anchors';
import { failuresSection, measuredCell, saidCell } from './claim-cells';
import { renderLadderFigures } from './ladder-figures';
import type { Results } from './results';
import { renderTeardownComparison } from './teardown-comparison';
import { STATE_COLOURS, escapeXml, renderTimelineSvg } from './timeline-svg';

const VERDICT_COLOURS: Readonly<Record<string, string>> = {
  holds: '#2e7d32',
  'holds-with-nuance': '#b26a00',
  differs: '#1565c0',
  failed: '#c62828',
  'not run': '#777',
};

/** The claims whose scenario shows the article's figure beside the kernel's: the four and three segments. */
const TEARDOWN_CLAIMS: ReadonlySet<string> = new Set(['C1', 'C5']);

/** Links to the sections of a claim's scenarios (plain text for a scenario without a section). */
function scenarioLinks(scenarios: readonly string[], sections: ReadonlySet<string>): string {
  return scenarios
    .map((scenario) =>
      sections.has(scenario)
        ? `<a href="#${sectionId(scenario)}">${escapeXml(scenario)}</a>`
        : escapeXml(scenario),
    )
    .join('<br>');
}

/** The claims' rows; with `sections` (the main table), a last column linking each claim's scenario sections. */
function claimRows(
  results: Results,
  ids: ReadonlySet<string> | null,
  sections?: ReadonlySet<string>,
): string {
  const failures = failureIds(results.claims);
  return results.claims
    .filter((claim) => ids === null || ids.has(claim.id))
    .map(
      (claim) =>
        `<tr class="claim" data-claim="${claim.id}" data-verdict="${claim.verdict}"><td>${claim.id}</td><td>${escapeXml(claim.claim)}</td><td class="verdict" style="color:${VERDICT_COLOURS[claim.verdict]}">${claim.verdict}</td><td class="said">${saidCell(claim, failures)}</td><td class="measured">${measuredCell(claim)}</td>${sections === undefined ? '' : `<td class="where">${scenarioLinks(claim.scenarios, sections)}</td>`}</tr>`,
    )
    .join('\n');
}

/** Where each kernel's evidence is: its uname and the list of every net.* sysctl it has, saved with the run. */
function evidence(results: Results): string {
  if (results.kernels.length === 0) return '';
  const items = results.kernels
    .map(
      (kernel) =>
        `<li><code>${escapeXml(kernel.uname)}</code>: <a href="${escapeXml(kernel.sysctlsFile)}">its ${Object.keys(kernel.netSysctls).length} net.* sysctls</a></li>`,
    )
    .join('');
  return `<h2>Kernels</h2><ul id="kernels">${items}</ul>`;
}

const TABLE_HEAD =
  '<tr><th>ID</th><th>The article says</th><th>Verdict</th><th>What the kernel did</th><th>Measured</th></tr>';

/** The whole report as one self-contained HTML page: no scripts, no fonts or images from anywhere. */
export function renderHtml(results: Results, records: readonly TimelineRecord[]): string {
  // The report documents the claims: a scenario that bears on none (the kit's self-checks) gets no section, and a
  // target whose scenario made no sockets of its own has no timeline to draw.
  const documented = new Set(results.claims.flatMap((claim) => claim.scenarios));
  const drawn = records.filter(
    (record) => record.changes.length > 0 && documented.has(record.scenario),
  );
  const scenarios = [...new Set(drawn.map((record) => record.scenario))].sort();
  const sections = scenarios.map((scenario) => {
    const mine = drawn.filter((record) => record.scenario === scenario);
    const ids = new Set(
      results.claims.filter((claim) => claim.scenarios.includes(scenario)).map((claim) => claim.id),
    );
    const anchor = sectionId(scenario);
    // Per target: its timeline (the long waits, to scale), then a ladder per captured connection (the segments).
    const pictures = mine
      .map((record, index) => {
        const sysctls = Object.entries(record.sysctls)
          .filter(([, value]) => value !== undefined)
          .map(([name, value]) => `${name}=${String(value).replace(/\t/g, ' ')}`)
          .join(', ');
        const id = `${anchor}-t${index + 1}`;
        return `<figure class="target" id="${id}"><figcaption>${escapeXml(record.target)} on Linux ${escapeXml(record.kernel)}; ${escapeXml(sysctls)}</figcaption>${renderTimelineSvg(record, `${scenario}: ${record.target}`, `${id}-timeline`)}
${renderLadderFigures(record, `${id}-ladder`)}</figure>`;
      })
      .join('\n');
    const comparison = [...ids].some((id) => TEARDOWN_CLAIMS.has(id))
      ? renderTeardownComparison(mine, `${anchor}-article-vs-kernel`)
      : '';
    const settings = results.specs.find((spec) => spec.file === scenario)?.settings ?? [];
    const settingsLine =
      settings.length === 0
        ? ''
        : `<p class="settings">The scenario's own settings: ${settings
            .map(
              (setting) =>
                `${escapeXml(setting.name)} ${escapeXml(String(setting.value))}${setting.unit === undefined ? '' : ` ${escapeXml(setting.unit)}`}`,
            )
            .join('; ')}.</p>`;
    return `<section class="scenario" id="${anchor}" data-scenario="${escapeXml(scenario)}"><h2><a href="#${anchor}">${escapeXml(scenario)}</a></h2>
${ids.size > 0 ? `<table>${TABLE_HEAD}${claimRows(results, ids)}</table>` : ''}
${settingsLine}
${comparison}
${pictures}</section>`;
  });
  const legend = Object.entries(STATE_COLOURS)
    .map(
      ([state, colour]) => `<span class="key"><i style="background:${colour}"></i>${state}</span>`,
    )
    .join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>sockspec report</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;vertical-align:top;text-align:left}
figure{margin:12px 0;overflow-x:auto}figcaption{font-size:12px;color:#555;margin-bottom:4px}
.ladders,.pair{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.ladders figure,.pair figure{margin:0}
.pair h4{flex-basis:100%;margin:8px 0 0}.article-vs-kernel{border:1px solid #ddd;padding:8px 12px;margin:12px 0}
figure[data-source="article"] svg{background:#fafaf5}.missing{font-size:13px;color:#777}
.key{font-size:12px;margin-right:10px}.key i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
.verdict{font-weight:bold}.reason{font-size:12px;max-width:520px;color:#c62828}
.failure-line{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.failure pre{white-space:pre-wrap;font-size:12px}
.unconfirmed{color:#888;font-size:12px;margin:4px 0 0;padding-left:16px}.from,.timing{color:#666}
td.measured{min-width:240px}
.settings{font-size:13px;color:#444}
</style></head><body>
<h1>sockspec: what this kernel does</h1>
<p>Kernel ${escapeXml(results.kernel)}, target ${escapeXml(results.target)}, run at ${escapeXml(results.time)}.
Each target has a timeline, one lane per socket with a bar per TCP state on a shared time axis (for the long waits), and
a ladder per captured connection: a lifeline per end with the state it was in, each segment a slanted arrow with its
flags and relative seq/ack, time running down with each gap labelled with its measured length (not to scale).</p>
<p>${legend}</p>
<h2>Claims</h2>
<p>A claim's verdict comes from every test that names it: <b>failed</b> if one of them failed, <b>not run</b> if one
did not run (or none did), and only when all passed, the verdict they declared. Measured values were read from the
kernel, a packet capture or a clock, each by a test that passed; what a test that failed had read is greyed beside its
failure, never shown as measured. Each scenario's own settings are listed with it.</p>
<table id="claims">${TABLE_HEAD.replace('</tr>', '<th>Scenarios</th></tr>')}${claimRows(results, null, new Set(scenarios))}</table>
${evidence(results)}
${sections.join('\n')}
${failuresSection(results)}
</body></html>
`;
}
