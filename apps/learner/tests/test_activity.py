"""learnerStep as a Temporal activity: in ActivityEnvironment (heartbeats, non-retryable input errors)
and through a real worker on a local Temporal dev server when the CLI binary is at hand."""
import asyncio
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flowsteer_learner.activity import learner_step
from helpers import make_sample, step_input, write_batch
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment
from transformers import AutoTokenizer


@pytest.fixture(autouse=True)
def artifact_root(tmp_path, monkeypatch):
    """The worker's artifact root is its environment's (FLOWSTEER_ARTIFACTS), never the input's."""
    monkeypatch.setenv("FLOWSTEER_ARTIFACTS", str(tmp_path))
    return tmp_path


def wire(inp: dict) -> dict:
    """step_input without the helper's artifactsDir: what the workflow sends."""
    return {k: v for k, v in inp.items() if k != "artifactsDir"}


@pytest.fixture(scope="module")
def batch(tiny_model_dir, tmp_path_factory):
    tok = AutoTokenizer.from_pretrained(str(tiny_model_dir), local_files_only=True)
    samples = [make_sample(tok, "Solve.", "<action>add</action>", " ok", 1.0, "a"), make_sample(tok, "Solve.", "answer 7", " no", -1.0, "b"), make_sample(tok, "Q", "Plan", " fine", 0.5, "c")]
    return write_batch(tmp_path_factory.mktemp("batch") / "batch.json", samples)


def test_activity_heartbeats_and_is_idempotent(tiny_model_dir, batch, tmp_path):
    env = ActivityEnvironment()
    beats = []
    env.on_heartbeat = lambda *d: beats.append(d[0] if d else None)
    inp = wire(step_input(tiny_model_dir, tmp_path, "act", 1, batch, microBatchSize=1))
    out = env.run(learner_step, inp)
    assert out["policyVersion"] == "act-step-1" and Path(out["adapterPath"], "adapter_model.safetensors").exists()
    assert [b["microBatch"] for b in beats if b.get("phase") == "training"] == [1, 2, 3]
    again = ActivityEnvironment().run(learner_step, inp)
    assert again["reused"] is True and again["adapterPath"] == out["adapterPath"]


def test_bad_input_is_non_retryable(tiny_model_dir, tmp_path):
    with pytest.raises(ApplicationError) as e:
        ActivityEnvironment().run(learner_step, wire(step_input(tiny_model_dir, tmp_path, "bad", 1, tmp_path / "nope.json")))
    assert e.value.non_retryable and "batch file" in str(e.value)


def test_an_artifacts_dir_in_the_input_is_refused(tiny_model_dir, batch, tmp_path):
    with pytest.raises(ApplicationError) as e:
        ActivityEnvironment().run(learner_step, {**wire(step_input(tiny_model_dir, tmp_path, "x", 1, batch)), "artifactsDir": "/tmp/elsewhere"})
    assert e.value.non_retryable and "artifactsDir is not accepted" in str(e.value)


def _temporal_cli(repo: Path):
    for c in (os.environ.get("TEMPORAL_CLI"), repo / ".venv/bin/temporal", shutil.which("temporal")):
        if c and Path(c).exists():
            return str(c)
    return None


def test_through_a_real_worker(tiny_model_dir, batch, tmp_path, repo_root):
    from temporalio.client import Client
    from temporalio.testing import WorkflowEnvironment
    from temporalio.worker import UnsandboxedWorkflowRunner, Worker
    from wf_fixture import LearnerStepProbe

    cli = _temporal_cli(repo_root)
    address = os.environ.get("TEMPORAL_ADDRESS")
    if not cli and not address:
        pytest.skip("no Temporal dev server: set TEMPORAL_ADDRESS or install the CLI (temporal/install.sh)")

    async def main():
        env = None
        if address:
            client = await Client.connect(address, namespace=os.environ.get("TEMPORAL_NAMESPACE", "default"))
        else:
            env = await WorkflowEnvironment.start_local(dev_server_existing_path=cli, ui=False)
            client = env.client
        try:
            tq = f"learner-probe-{uuid.uuid4().hex[:8]}"
            inp = wire(step_input(tiny_model_dir, tmp_path, "wf", 1, batch))
            with ThreadPoolExecutor(max_workers=1) as ex:
                async with Worker(client, task_queue="cwrpo-learner", activities=[learner_step], activity_executor=ex, max_concurrent_activities=1), \
                        Worker(client, task_queue=tq, workflows=[LearnerStepProbe], workflow_runner=UnsandboxedWorkflowRunner()):
                    first = await client.execute_workflow(LearnerStepProbe.run, inp, id=f"probe-{uuid.uuid4().hex[:8]}", task_queue=tq)
                    second = await client.execute_workflow(LearnerStepProbe.run, inp, id=f"probe-{uuid.uuid4().hex[:8]}", task_queue=tq)
            return first, second
        finally:
            if env is not None:
                await env.shutdown()

    first, second = asyncio.run(main())
    assert first["reused"] is False and second["reused"] is True
    assert first["metrics"]["tokens"] > 0 and second["checkpointPath"] == first["checkpointPath"]
