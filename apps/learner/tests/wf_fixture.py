"""A minimal workflow that calls `learnerStep` by name on `cwrpo-learner`, as the TypeScript
cwrpoTraining workflow does (test only)."""
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy


@workflow.defn(name="learnerStepProbe")
class LearnerStepProbe:
    @workflow.run
    async def run(self, inp: dict) -> dict:
        return await workflow.execute_activity(
            "learnerStep", inp, task_queue="cwrpo-learner",
            start_to_close_timeout=timedelta(minutes=5), heartbeat_timeout=timedelta(seconds=60),
            retry_policy=RetryPolicy(maximum_attempts=3),
        )
