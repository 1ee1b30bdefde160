export { ArtifactStore, ArtifactRefError, ARTIFACT_SCHEME } from './store';
