// The report of a run, from its records to text: pure functions, no files read or written here.
export {
  buildResults,
  type ClaimFailure,
  type ClaimResult,
  type ClaimVerdict,
  type KernelEvidence,
  type Results,
  type SpecSummary,
  type UnconfirmedMeasurement,
} from './results';
export { deriveVerdict, type ClaimTest, type DerivedVerdict } from './claim-verdicts';
export { lanesOf, renderTimelineSvg, STATE_COLOURS, type TimelineInput } from './timeline-svg';
export { conversationsOf, type LadderInput } from './ladder-reading';
export { renderLadderSvg } from './ladder-svg';
export { recordLadders, type RecordLadder } from './record-ladders';
export { sectionId } from './anchors';
export { CLAIMS_DOC_COMMAND, renderClaimsDoc, type DocClaim, type DocSpec } from './claims-doc';
export { renderHtml } from './render-html';
export { renderMarkdown } from './render-markdown';
export {
  buildMatrix,
  renderMatrixHtml,
  renderMatrixMarkdown,
  type MatrixCell,
  type MatrixColumn,
  type MatrixRow,
  type ValueSpread,
} from './matrix';
export { renderSoakMarkdown, summarizeSoak, type SoakRun, type SoakSummary } from './soak-summary';
