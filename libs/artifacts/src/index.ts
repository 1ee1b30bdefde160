export { ArtifactStore, ArtifactRefError, ARTIFACT_SCHEME } from './store';
export { WORKSPACE_ROOT, findWorkspaceRoot, flowsteerHome, defaultArtifactsDir, defaultReportsDir } from './home';
