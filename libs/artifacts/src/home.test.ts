import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultArtifactsDir, defaultReportsDir, findWorkspaceRoot, flowsteerHome, WORKSPACE_ROOT } from './home';

describe('workspace root and FlowSteer home', () => {
  it('finds this checkout from the library folder', () => {
    expect(WORKSPACE_ROOT).toBe(resolve(__dirname, '..', '..', '..'));
  });

  it('walks up to the folder holding nx.json and libs/, else tries the cwd, else uses the cwd', () => {
    const ws = mkdtempSync(join(tmpdir(), 'fs-ws-'));
    writeFileSync(join(ws, 'nx.json'), '{}');
    mkdirSync(join(ws, 'libs', 'a', 'src'), { recursive: true });
    const outside = mkdtempSync(join(tmpdir(), 'fs-out-'));
    expect(findWorkspaceRoot(join(ws, 'libs', 'a', 'src'), outside)).toBe(ws);
    expect(findWorkspaceRoot(outside, join(ws, 'libs'))).toBe(ws);
    expect(findWorkspaceRoot(outside, outside)).toBe(outside);
  });

  it('honours FLOWSTEER_HOME, FLOWSTEER_ARTIFACTS and FLOWSTEER_REPORTS', () => {
    expect(flowsteerHome({}, '/r')).toBe('/r/.flowsteer');
    expect(flowsteerHome({ FLOWSTEER_HOME: '/h' }, '/r')).toBe('/h');
    expect(defaultArtifactsDir({ FLOWSTEER_HOME: '/h' }, '/r')).toBe('/h/artifacts');
    expect(defaultArtifactsDir({ FLOWSTEER_HOME: '/h', FLOWSTEER_ARTIFACTS: '/a' }, '/r')).toBe('/a');
    expect(defaultReportsDir({}, '/r')).toBe('/r/.flowsteer/reports');
    expect(defaultReportsDir({ FLOWSTEER_REPORTS: '/p' }, '/r')).toBe('/p');
  });
});
