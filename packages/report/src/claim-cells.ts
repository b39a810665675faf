import { failureIds } from './anchors';
import {
  familyText,
  fromText,
  timingText,
  valueText,
  type ShownMeasurement,
} from './measurement-text';
import type { ClaimResult, Results, UnconfirmedMeasurement } from './results';
import { escapeXml } from './timeline-svg';

/** How many failures a claim's row names, one line each; the rest are counted on a line of their own. */
const FAILURES_SHOWN = 2;

const UNCONFIRMED_LABELS: Readonly<Record<UnconfirmedMeasurement['status'], string>> = {
  failed: 'from a failed test',
  'not run': 'from a test that did not run',
  'outside a test': 'recorded outside a test',
};

/** How an unconfirmed value is labelled: it was read, but no passing test stands behind it. */
export const unconfirmedLabel = (m: UnconfirmedMeasurement): string => UNCONFIRMED_LABELS[m.status];

/** One measured value: its name, the value in bold, how it was timed, and where it was read. */
function measurementHtml(m: ShownMeasurement): string {
  const timing =
    m.timing === undefined ? '' : ` <span class="timing">${escapeXml(timingText(m.timing))}</span>`;
  const family =
    m.family === undefined ? '' : `<span class="family">${escapeXml(familyText(m.family))}</span>`;
  return `${family}${escapeXml(m.name)}: <b>${escapeXml(valueText(m))}</b>${timing} <small class="from">${escapeXml(fromText(m.from))}</small>`;
}

/** The Measured cell: only what tests that passed measured. */
export function measuredCell(claim: ClaimResult): string {
  return claim.measured
    .map((m) => `<span class="measurement">${measurementHtml(m)}</span>`)
    .join('<br>');
}

/** Values read by tests that did not pass, greyed and labelled as such, with the test that read them. */
function unconfirmedHtml(claim: ClaimResult): string {
  if (claim.unconfirmed.length === 0) return '';
  const items = claim.unconfirmed.map(
    (m) =>
      `<li>${escapeXml(unconfirmedLabel(m))}: ${measurementHtml(m)} <small title="${escapeXml(m.test)}">(${escapeXml(m.file)})</small></li>`,
  );
  return `<ul class="unconfirmed" title="not established: the test that read these did not pass">${items.join('')}</ul>`;
}

/**
 * The "What the kernel did" cell: the findings of a claim that stands; else why it does not, a line per failure
 * (its first line and a link to its whole message at the foot of the page), and what failed tests had read.
 */
export function saidCell(claim: ClaimResult, ids: ReadonlyMap<string, string>): string {
  if (claim.reason === undefined)
    return claim.findings.map(escapeXml).join('<br>') + unconfirmedHtml(claim);
  const failures = claim.failures ?? [];
  // One line per failure: its spec file, linking to the whole message, then the message's first line.
  const lines =
    failures.length === 0
      ? [`<div>${escapeXml(claim.reason)}</div>`]
      : failures.slice(0, FAILURES_SHOWN).map((failure) => {
          const id = ids.get(failure.where) ?? 'failures';
          const link = `<a href="#${id}" title="${escapeXml(failure.where)}">${escapeXml(failure.file)}</a>`;
          return `<div class="failure-line">${link}: ${escapeXml(failure.summary)}</div>`;
        });
  if (failures.length > FAILURES_SHOWN)
    lines.push(
      `<div><a href="#failures">and ${failures.length - FAILURES_SHOWN} more failed tests</a></div>`,
    );
  return `<div class="reason">${lines.join('')}</div>${unconfirmedHtml(claim)}`;
}

/** Each failure's whole message once, at the foot of the page, where the claims' rows link to. */
export function failuresSection(results: Results): string {
  const ids = failureIds(results.claims);
  if (ids.size === 0) return '';
  const messages = new Map(
    results.claims.flatMap((claim) => claim.failures ?? []).map((f) => [f.where, f.message]),
  );
  const items = [...ids].map(
    ([where, id]) =>
      `<div class="failure" id="${id}"><h3>${escapeXml(where)}</h3><pre>${escapeXml(messages.get(where) ?? '')}</pre></div>`,
  );
  return `<h2 id="failures">Failed tests</h2>\n${items.join('\n')}`;
}
