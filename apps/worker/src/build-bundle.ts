// Pre-builds the workflow bundle for production workers (FLOWSTEER_WORKFLOW_BUNDLE points at it).
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WORKSPACE_ROOT, workflowBundleOptions } from '@flowsteer/temporal-runtime';

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(WORKSPACE_ROOT, 'dist', 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode(workflowBundleOptions());
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle written: ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
