"""`python -m flowsteer_learner.worker`: serves `learnerStep` on the `cwrpo-learner` task queue.

Environment: TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE (default "default"),
FLOWSTEER_LEARNER_TASK_QUEUE (default cwrpo-learner), FLOWSTEER_ARTIFACTS / FLOWSTEER_HOME for the
artifact store, TEMPORAL_TLS_* for mTLS and FLOWSTEER_METRICS_PROMETHEUS_BIND for SDK metrics
(see connection.py). SIGTERM or SIGINT: stop polling, let the running step finish (or be cancelled after
the graceful timeout), then exit.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from temporalio.client import Client
from temporalio.service import TLSConfig
from temporalio.worker import Worker

from . import TASK_QUEUE
from .activity import learner_step
from .connection import metrics_bind_from_env, runtime_for, tls_from_env

log = logging.getLogger("flowsteer_learner.worker")


async def run(address: str, namespace: str, task_queue: str, graceful_seconds: float, tls: TLSConfig | None = None, metrics_bind: str | None = None) -> None:
    runtime = runtime_for(metrics_bind)
    client = await Client.connect(address, namespace=namespace, tls=tls or False, **({"runtime": runtime} if runtime else {}))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # One step at a time: a step uses the whole machine (and the model cache holds one policy).
    with ThreadPoolExecutor(max_workers=1) as executor:
        worker = Worker(
            client,
            task_queue=task_queue,
            activities=[learner_step],
            activity_executor=executor,
            max_concurrent_activities=1,
            graceful_shutdown_timeout=timedelta(seconds=graceful_seconds),
            identity=f"flowsteer-learner@{socket.gethostname()}:{os.getpid()}",
        )
        log.info("learner worker: %s namespace=%s task queue=%s", address, namespace, task_queue)
        extras = (" tls" if tls else "") + (f" metrics=http://{metrics_bind}/metrics" if metrics_bind else "")
        print(f"learner worker ready: {address} namespace={namespace} task queue={task_queue}{extras}", flush=True)
        async with worker:
            await stop.wait()
            log.info("learner worker: shutting down")
    print("learner worker stopped", flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="FlowSteer CWRPO learner: Temporal activity worker")
    ap.add_argument("--address", default=os.environ.get("TEMPORAL_ADDRESS", "127.0.0.1:7233"))
    ap.add_argument("--namespace", default=os.environ.get("TEMPORAL_NAMESPACE", "default"))
    ap.add_argument("--task-queue", default=os.environ.get("FLOWSTEER_LEARNER_TASK_QUEUE", TASK_QUEUE))
    ap.add_argument("--graceful-seconds", type=float, default=float(os.environ.get("FLOWSTEER_LEARNER_GRACEFUL_SECONDS", "30")))
    args = ap.parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        tls = tls_from_env(os.environ)
        metrics_bind = metrics_bind_from_env(os.environ)
    except ValueError as err:
        print(f"learner worker: {err}", file=sys.stderr, flush=True)
        sys.exit(2)
    asyncio.run(run(args.address, args.namespace, args.task_queue, args.graceful_seconds, tls, metrics_bind))
    # The worker has shut down cleanly. Skip interpreter finalisation: the SDK's native runtime threads
    # can abort it ("PyGILState_Release ... finalizing") and turn a clean stop into exit code 134.
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(0)


if __name__ == "__main__":
    main()
