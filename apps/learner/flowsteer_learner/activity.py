"""The `learnerStep` Temporal activity (task queue `cwrpo-learner`).

A synchronous activity: the worker runs it in a thread pool. It heartbeats after every micro-batch
(details: micro-batch index, counts) and stops at the next micro-batch when cancelled (for instance
after a missed heartbeat), so a killed or stuck learner is retried by Temporal; the retry restarts
the step from its start checkpoint, or returns the step's checkpoint if one attempt already wrote it.
"""
from __future__ import annotations

import asyncio
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from . import ACTIVITY_NAME
from .learner import run_learner_step
from .model import LearnerError


@activity.defn(name=ACTIVITY_NAME)
def learner_step(input: dict[str, Any]) -> dict[str, Any]:
    info = activity.info()
    activity.logger.info("learnerStep run=%s step=%s attempt=%s", input.get("runId"), input.get("step"), info.attempt)
    activity.heartbeat({"phase": "loading", "attempt": info.attempt})

    def progress(details: dict) -> None:
        if activity.is_cancelled():
            raise asyncio.CancelledError("learnerStep cancelled (heartbeat timeout, worker shutdown or workflow request)")
        activity.heartbeat({"phase": "training", **details})

    try:
        return run_learner_step(input, progress=progress)
    except LearnerError as err:
        # Bad input is not fixed by retrying.
        raise ApplicationError(str(err), type="LearnerInputError", non_retryable=True) from err
