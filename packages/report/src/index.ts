// The report of a run, from its records to text: pure functions, no files read or written here.
export {
  buildResults,
  type ClaimResult,
  type ClaimVerdict,
  type KernelEvidence,
  type Results,
  type SpecSummary,
} from './results';
export { deriveVerdict, type ClaimTest, type DerivedVerdict } from './claim-verdicts';
export { lanesOf, renderTimelineSvg, STATE_COLOURS, type TimelineInput } from './timeline-svg';
export { conversationsOf, renderLadderSvg, type LadderInput } from './ladder-svg';
export { recordLadders, type RecordLadder } from './record-ladders';
export { sectionId } from './anchors';
export { renderHtml } from './render-html';
export { renderMarkdown } from './render-markdown';
export {
  buildMatrix,
  renderMatrixHtml,
  renderMatrixMarkdown,
  type MatrixColumn,
  type MatrixRow,
} from './matrix';
export { renderSoakMarkdown, summarizeSoak, type SoakRun, type SoakSummary } from './soak-summary';
