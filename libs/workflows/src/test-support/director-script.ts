/**
 * A short director script by round: Plan -> Custom -> Verify ? Revise : done -> Format. '' where
 * that round asks for a node's prompt (answered by operator name); after the last round the
 * director finishes. Shared by the workflow tests (scripted activities) and the full-stack
 * harnesses of apps/worker-e2e (scripted LLM servers).
 */
export const SHORT_DIRECTOR_SCRIPT: readonly string[] = [
  '<action>add</action><operator>Plan</operator>',
  '',
  '<action>add</action><operator>Custom</operator>',
  '',
  '<action>add</action><structure>conditional</structure><condition>Verify</condition><true>Revise</true><false>done</false>',
  '',
  '',
  '<action>add</action><operator>Format</operator>',
  '',
];
