import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import {
  TASK_QUEUES,
  type LedgerEntry,
  type OperatorOutcome,
  type PolicyTurnInput,
  type PolicyTurnResult,
  type RunOperatorInput,
  type SessionScore,
  type ScoreSessionInput,
  type TextValue,
} from '@flowsteer/contracts';
import { workflowBundleOptions } from '@flowsteer/temporal-runtime';
import { SHORT_DIRECTOR_SCRIPT } from './director-script';

// Workflow tests with scripted activities (temporalio/samples-typescript's mocked-activities
// style): the workflow code runs in a test worker on the jest server, every activity is a few
// lines here. No LLM, no operator code, no store, no sandbox: what the workflows do with what their
// activities return and throw is all that is under test.

/** The director's action by round (the short script); '' where that round asks for a node's prompt. */
export const DIRECTOR_SCRIPT = SHORT_DIRECTOR_SCRIPT;

export const SCRIPTED_ANSWER = '391';

const ledger = (purpose: string): LedgerEntry => ({
  backend: 'scripted',
  model: 'scripted',
  purpose,
  promptTokens: 10,
  completionTokens: 5,
  latencyMs: 1,
  costUsd: 0,
  attempts: 1,
});

const callerId = () => Context.current().info.workflowExecution?.workflowId ?? '';

export interface ScriptedCalls {
  director: number;
  operators: string[];
  trajectories: string[];
}

/**
 * The session's activities, scripted: the director follows DIRECTOR_SCRIPT, every operator answers
 * SCRIPTED_ANSWER (Verify passes). `directorDown(call, sessionId)` turns the director's call number
 * `call` (from 1, all sessions together) into a 503 outage.
 */
export function scriptedSessionActivities(directorDown: (call: number, sessionId: string) => boolean = () => false) {
  const calls: ScriptedCalls = { director: 0, operators: [], trajectories: [] };
  const activities = {
    async policyTurn(input: PolicyTurnInput): Promise<PolicyTurnResult> {
      calls.director++;
      if (directorDown(calls.director, callerId())) {
        throw ApplicationFailure.create({
          type: 'LlmError.server',
          message: 'director backend: 503 Service Unavailable',
          nonRetryable: true,
        });
      }
      const prompt = input.messages.map((m) => m.content).join('\n');
      const operator = /Write the prompt for (\w+)/.exec(prompt)?.[1];
      const round = Number(/Round (\d+)/.exec(prompt)?.[1] ?? NaN);
      const text = operator ? `Do the ${operator} step carefully.` : DIRECTOR_SCRIPT[round - 1] || '<action>finish</action>';
      return {
        text,
        finishReason: 'stop',
        promptTokens: 10,
        completionTokens: 5,
        latencyMs: 1,
        ledger: ledger(input.purpose ?? 'director'),
      };
    },
    async runOperator(input: RunOperatorInput): Promise<OperatorOutcome> {
      calls.operators.push(input.operator);
      const checker = input.operator === 'Verify' ? { passed: true, feedback: 'consistent' } : {};
      return {
        operator: input.operator,
        nodeId: input.nodeId,
        text: SCRIPTED_ANSWER,
        ledger: [ledger(input.operator)],
        cacheKey: `${input.operator}:${input.nodeId}`,
        notes: [],
        ...checker,
      };
    },
    async storeArtifact({ kind, id }: { kind: string; id: string }): Promise<string> {
      return `artifact://${kind}/${id}.json`;
    },
    async storeText({ text }: { text: string }): Promise<TextValue> {
      return text;
    },
    async writeTrajectory({ sessionId }: { sessionId: string }): Promise<string> {
      calls.trajectories.push(sessionId);
      return `artifact://trajectories/${sessionId}.json`;
    },
    async forkPoint(): Promise<never> {
      throw ApplicationFailure.nonRetryable('no fork in these tests');
    },
  };
  return { activities, calls };
}

/** Scoring on the sandbox queue, scripted: `correct(sessionId)` says whether that session's answer is right. */
export function scriptedScoring(correct: (sessionId: string) => boolean) {
  return {
    async scoreSession(_input: ScoreSessionInput): Promise<SessionScore> {
      const ok = correct(callerId());
      return { metrics: { correct: ok ? 1 : 0 }, primary: ok ? 1 : 0 };
    },
  };
}

/** One workflow bundle and one connection per test file; workers on fresh task queues per test. */
export class WorkflowTestBed {
  private bundle!: WorkflowBundleWithSourceMap;
  private connection!: NativeConnection;
  client!: Client;
  private seq = 0;

  async open(): Promise<void> {
    const address = process.env.TEMPORAL_ADDRESS;
    // never the default localhost:7233: that is the user's own dev server (`flowsteer up`)
    if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run workflow tests through jest (its global setup starts a server)');
    this.bundle = await bundleWorkflowCode(workflowBundleOptions());
    this.connection = await NativeConnection.connect({ address });
    this.client = new Client({ connection: await Connection.connect({ address }) });
  }

  async close(): Promise<void> {
    await this.connection?.close();
    await this.client?.connection.close();
  }

  /** A fresh canvas-style task queue: its sandbox queue (`sandboxQueueFor`) is its own too. */
  queue(): string {
    return `${TASK_QUEUES.canvas}-workflow-test-${process.pid}-${++this.seq}`;
  }

  /**
   * Runs `fn` while a worker polls `taskQueue` (the workflows and `activities`) and, for each entry
   * of `more`, an activity-only worker polls that queue.
   */
  async withWorkers<T>(taskQueue: string, activities: object, more: Record<string, object>, fn: () => Promise<T>): Promise<T> {
    const main = await Worker.create({ connection: this.connection, taskQueue, workflowBundle: this.bundle, activities });
    const others = await Promise.all(
      Object.entries(more).map(([queue, acts]) => Worker.create({ connection: this.connection, taskQueue: queue, activities: acts })),
    );
    const running = others.map((w) => w.run());
    try {
      return await main.runUntil(fn);
    } finally {
      others.forEach((w) => w.shutdown());
      await Promise.all(running);
    }
  }
}
