import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  CANVAS_SESSION_WORKFLOW,
  canvasQuery,
  pauseSignal,
  resumeSignal,
  sessionStartOptions,
  sessionStaticSummary,
  type SessionResult,
} from '@flowsteer/contracts';
import { startSessionHarness, type SessionHarness } from '../../worker-e2e/src/support/session-harness';
import { scriptedDirectorReply, scriptedSessionInput } from '../../worker-e2e/src/support/scripted-session';

/**
 * Operating through the Temporal UI (issue 6 part 2): a finished session is found in the real UI
 * of the test server by a FlowSteer search attribute, opened, and its `canvas` query read on the
 * Queries tab, in headless Chromium (Debian's, driven by playwright-core). The list shows the
 * session's summary and the details page its current details (turn, status, workflow, node table).
 * Screenshots are kept in test-artifacts/ui/ (list.png, details.png, session.png).
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve(__dirname, '..', '..', '..', 'test-artifacts', 'ui');
const skip = process.env.FLOWSTEER_SKIP_UI_TEST === '1';
if (skip) console.log('Temporal UI end-to-end test skipped: FLOWSTEER_SKIP_UI_TEST=1');

jest.setTimeout(120_000);

(skip ? describe.skip : describe)('the Temporal UI shows a finished session (headless Chromium)', () => {
  let h: SessionHarness;
  let browser: Browser | undefined;
  const dataset = `ui-e2e-${Date.now().toString(36)}`;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install it with \`bash scripts/install-chromium.sh\` (or set FLOWSTEER_SKIP_UI_TEST=1 to skip this test)`,
      );
    }
    h = await startSessionHarness('42');
    h.director.setFallback((req) => scriptedDirectorReply(req));
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('finds the session by FlowSteerDataset, opens it and reads its canvas query', async () => {
    const uiUrl = process.env.FLOWSTEER_TEST_TEMPORAL_UI;
    if (!uiUrl)
      throw new Error('FLOWSTEER_TEST_TEMPORAL_UI is not set: run this test through jest (its global setup starts the server and its UI)');
    const input = { ...scriptedSessionInput(1), task: { ...scriptedSessionInput(1).task, dataset } };
    const workflowId = `session-${dataset}-${input.task.id}`;
    const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
      taskQueue: h.taskQueue,
      ...sessionStartOptions(input, 'ui'),
      workflowId,
    });
    const summary = sessionStaticSummary(input);
    const result = (await handle.result()) as SessionResult;
    expect(result.status).toBe('finished');
    const dsl = (await handle.query(canvasQuery)).dsl;
    expect(dsl).toBe('Plan -> Custom -> Verify ? Revise : done -> Format');

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    mkdirSync(ARTIFACTS, { recursive: true });
    rmSync(join(ARTIFACTS, 'failure.png'), { force: true });
    try {
      // the workflows list, filtered by the search attribute (visibility is eventually consistent)
      const query = encodeURIComponent(`FlowSteerDataset="${dataset}"`);
      const link = page.locator(`a[href*="/workflows/${workflowId}/"]`).first();
      await retryUntil(async () => {
        await page.goto(`${uiUrl}/namespaces/default/workflows?query=${query}`);
        await link.waitFor({ timeout: 5_000 });
      }, 30_000);
      await page.screenshot({ path: join(ARTIFACTS, 'list.png') });
      await link.click();
      await page.waitForURL(new RegExp(`/workflows/${workflowId}/`));

      // the details page shows the summary given at start and the current details the session keeps
      // up to date: turn, status, the workflow and the node table (UI 2.50 has no summary column in the list)
      await page
        .getByRole('link', { name: /^User Metadata/ })
        .or(page.getByRole('tab', { name: /^User Metadata/ }))
        .first()
        .click();
      // the UI renders each Markdown text in its own frame
      await inSomeFrame(page, `${input.task.dataset}/${input.task.id}`);
      expect(summary).toContain(`${input.task.dataset}/${input.task.id}`);
      await inSomeFrame(page, `turn ${result.turns} of 20`);
      await inSomeFrame(page, 'last execution');
      await inSomeFrame(page, 'node_3_cond', 'td');
      await page.screenshot({ path: join(ARTIFACTS, 'details.png'), fullPage: true });

      // the Queries tab: pick `canvas`, read the answer
      await page
        .getByRole('link', { name: /^Queries/ })
        .or(page.getByRole('tab', { name: /^Queries/ }))
        .first()
        .click();
      await page.waitForURL(/\/query/);
      await selectQueryType(page, 'canvas');
      await page.getByRole('button', { name: /Run Query/i }).click();
      await page.getByText(dsl, { exact: false }).first().waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'session.png'), fullPage: true });
    } catch (err) {
      await page.screenshot({ path: join(ARTIFACTS, 'failure.png'), fullPage: true }).catch(() => undefined);
      throw new Error(`${(err as Error).message}\n(page ${page.url()}; screenshot ${join(ARTIFACTS, 'failure.png')})`);
    }
  });

  it("shows a running session's current canvas table on its details page", async () => {
    const uiUrl = process.env.FLOWSTEER_TEST_TEMPORAL_UI as string;
    // a slower director, so the session is still running when it is paused after its first executions
    h.director.setFallback((req) => scriptedDirectorReply(req, { delayMs: 400 }));
    const input = { ...scriptedSessionInput(2), task: { ...scriptedSessionInput(2).task, dataset } };
    const workflowId = `session-${dataset}-running`;
    const handle = await h.client.workflow.start(CANVAS_SESSION_WORKFLOW, {
      taskQueue: h.taskQueue,
      ...sessionStartOptions(input, 'ui'),
      workflowId,
    });
    await retryUntil(async () => {
      const view = await handle.query(canvasQuery);
      if (!(view.state as { lastExecution?: unknown }).lastExecution) throw new Error('no execution yet');
    }, 60_000);
    await handle.signal(pauseSignal);
    await retryUntil(async () => {
      if ((await handle.query(canvasQuery)).status !== 'paused') throw new Error('not paused yet');
    }, 30_000);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const page = await (browser as Browser).newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await page.goto(`${uiUrl}/namespaces/default/workflows/${workflowId}`);
      await page
        .getByRole('link', { name: /^User Metadata/ })
        .or(page.getByRole('tab', { name: /^User Metadata/ }))
        .first()
        .click();
      await inSomeFrame(page, '· paused');
      await inSomeFrame(page, 'last execution');
      await inSomeFrame(page, 'node_1', 'td');
      await page.screenshot({ path: join(ARTIFACTS, 'running-details.png'), fullPage: true });
    } catch (err) {
      await page.screenshot({ path: join(ARTIFACTS, 'failure.png'), fullPage: true }).catch(() => undefined);
      throw new Error(`${(err as Error).message}\n(page ${page.url()}; screenshot ${join(ARTIFACTS, 'failure.png')})`);
    } finally {
      await handle.signal(resumeSignal);
    }
    expect(((await handle.result()) as SessionResult).status).toBe('finished');
  });
});

/** Waits until a frame of the page shows `text` (in an element of kind `within` when given). */
async function inSomeFrame(page: Page, text: string, within?: string): Promise<void> {
  await retryUntil(async () => {
    for (const frame of page.frames()) {
      const found = within ? frame.locator(within).filter({ hasText: text }) : frame.getByText(text, { exact: false });
      if ((await found.count()) > 0) return;
    }
    await page.waitForTimeout(250);
    throw new Error(`no frame of ${page.url()} shows "${text}"`);
  }, 20_000);
}

async function retryUntil(step: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await step();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

/** The query-type picker of the Temporal UI: a native select in some versions, a menu button in others. */
async function selectQueryType(page: Page, name: string): Promise<void> {
  const native = page.locator('select').filter({ has: page.locator(`option[value="${name}"]`) });
  if (await native.count()) {
    await native.first().selectOption(name);
    return;
  }
  const picker = page.getByRole('button', { name: /Query Type|__stack_trace|canvas|transcript|events/i }).first();
  await picker.click();
  await page.getByRole('option', { name }).or(page.getByRole('menuitem', { name })).first().click();
}
