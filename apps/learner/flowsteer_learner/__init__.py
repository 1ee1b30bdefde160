"""FlowSteer CWRPO learner: a Temporal activity worker (`learnerStep` on `cwrpo-learner`) and a small
OpenAI-compatible policy server for CPU/small models."""

TASK_QUEUE = "cwrpo-learner"
ACTIVITY_NAME = "learnerStep"
