// Checks that the repository's own config and docs match its code; each is a function over texts and a file tree,
// run on the repository by this package's tests.
export {
  packageDiagram,
  type ArrowKind,
  type DiagramArrow,
  type PackageDiagram,
} from './architecture-diagram';
export { CRUISER_CONFIG, circlesIn, cruise, type CruiseResult } from './import-circles';
export {
  brokenLinks,
  headingAnchors,
  headingSlug,
  linksIn,
  type MarkdownLink,
} from './markdown-links';
export {
  SCOPE,
  packageGraphProblems,
  type GraphProblems,
  type WorkspaceSources,
} from './package-graph';
export { REPO_ROOT, diskTree, memoryTree, type FileTree } from './repo-files';
export { simpleCommands } from './shell-words';
export { importsOf, workspaceSourcesOf } from './workspace-sources';
export {
  binNames,
  readManifest,
  workspacesOf,
  type PackageManifest,
  type Workspace,
} from './workspaces';
export {
  namedByScript,
  workflowContextOf,
  workflowProblems,
  type Named,
  type WorkflowContext,
} from './workflow-check';
