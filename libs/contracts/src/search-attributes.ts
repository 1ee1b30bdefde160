import { defineSearchAttributeKey, SearchAttributeType as TemporalSearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes registered on the Temporal namespace (DESIGN §5). The server scripts
 * register exactly this list, so adding one here is enough for dev servers.
 */
export const SEARCH_ATTRIBUTES = {
  FlowSteerDataset: 'Keyword',
  FlowSteerTaskType: 'Keyword',
  FlowSteerPolicyVersion: 'Keyword',
  FlowSteerRun: 'Keyword',
  FlowSteerScore: 'Double',
  FlowSteerTurns: 'Int',
  FlowSteerStatus: 'Keyword',
  /** The principal that started the session or run (REST API token name, or the CLI's user). */
  FlowSteerOwner: 'Keyword',
} as const;

export type SearchAttributeKey = keyof typeof SEARCH_ATTRIBUTES;
export type SearchAttributeType = (typeof SEARCH_ATTRIBUTES)[SearchAttributeKey];

/** `--search-attribute NAME=TYPE` pairs as the Temporal CLI takes them. */
export function searchAttributeCliPairs(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => `${name}=${type}`);
}

/** Typed keys for client start options and workflow upserts. */
export const SA = {
  dataset: defineSearchAttributeKey('FlowSteerDataset', TemporalSearchAttributeType.KEYWORD),
  taskType: defineSearchAttributeKey('FlowSteerTaskType', TemporalSearchAttributeType.KEYWORD),
  policyVersion: defineSearchAttributeKey('FlowSteerPolicyVersion', TemporalSearchAttributeType.KEYWORD),
  run: defineSearchAttributeKey('FlowSteerRun', TemporalSearchAttributeType.KEYWORD),
  score: defineSearchAttributeKey('FlowSteerScore', TemporalSearchAttributeType.DOUBLE),
  turns: defineSearchAttributeKey('FlowSteerTurns', TemporalSearchAttributeType.INT),
  status: defineSearchAttributeKey('FlowSteerStatus', TemporalSearchAttributeType.KEYWORD),
  owner: defineSearchAttributeKey('FlowSteerOwner', TemporalSearchAttributeType.KEYWORD),
} as const;
