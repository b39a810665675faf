export { readRunData, type MeasurementLine, type RunData, type VerdictLine } from './run-data';
export { buildResults, type ClaimResult, type ClaimVerdict, type Results } from './results';
export { deriveVerdict, type ClaimTest, type DerivedVerdict } from './claim-verdicts';
export { lanesOf, renderTimelineSvg, STATE_COLOURS, type TimelineInput } from './timeline-svg';
export { renderHtml } from './render-html';
export { renderMarkdown } from './render-markdown';
export { writeReport } from './write-report';
export { describeSpec, listScenarios, type ScenarioFile } from './scenario-list';
export {
  buildMatrix,
  renderMatrixHtml,
  renderMatrixMarkdown,
  type MatrixColumn,
  type MatrixRow,
} from './matrix';
