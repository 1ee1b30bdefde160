"""Checkpoints of the learner: `<artifacts>/runs/<run>/step-<k>/` with the peft adapter, llama.cpp's
copy of it for GGUF bases, optimiser and RNG state (plain tensors: read with `weights_only=True`),
scheduler.json and checkpoint.json (written last, by an atomic rename of the whole folder)."""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import random
import shutil
import time
import uuid
from pathlib import Path
from typing import Optional

import torch

from .config import StepInput, inside_root
from .gguf_lora import export_lora_gguf
from .model import LearnerError

log = logging.getLogger("flowsteer_learner.checkpoints")

CHECKPOINT_FILE = "checkpoint.json"


def read_checkpoint(step_dir: Path) -> Optional[dict]:
    f = step_dir / CHECKPOINT_FILE
    if not f.exists():
        return None
    return json.loads(f.read_text())


def find_start_checkpoint(inp: StepInput) -> Optional[Path]:
    if inp.start_checkpoint:
        p = inside_root(inp.artifacts, inp.start_checkpoint, "startCheckpoint")
        if not p.exists():
            raise LearnerError(f"startCheckpoint {inp.start_checkpoint} not found: pass a …/runs/<run>/step-<k> folder, an adapter folder, or null")
        return p
    prev = inp.step_dir(inp.step - 1)
    return prev if (prev / CHECKPOINT_FILE).exists() else None


@contextlib.contextmanager
def step_lock(inp: StepInput):
    """An exclusive file lock per (run, step), so two attempts in one machine never train together."""
    inp.run_dir().mkdir(parents=True, exist_ok=True)
    with open(inp.run_dir() / f".step-{inp.step}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def result_of(record: dict, reused: bool) -> dict:
    out = {k: record[k] for k in ("runId", "step", "policyVersion", "adapterPath", "checkpointPath", "startCheckpoint", "metrics")}
    out["reused"] = reused
    return out


def rng_state() -> dict:
    """Tensors, ints and floats only, so it loads with `torch.load(weights_only=True)`."""
    version, internal, gauss = random.getstate()
    return {
        "torch": torch.random.get_rng_state(),
        "pythonVersion": version,
        "python": torch.tensor(internal, dtype=torch.int64),
        "pythonGauss": gauss,
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }


def set_rng(state: Optional[dict], seed: int) -> None:
    if state is not None:
        torch.random.set_rng_state(state["torch"])
        random.setstate((int(state["pythonVersion"]), tuple(int(x) for x in state["python"].tolist()), state["pythonGauss"]))
        if state.get("cuda") and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["cuda"])
    else:
        torch.manual_seed(seed)
        random.seed(seed)


def load_tensors(path: Path, device: torch.device) -> dict:
    """Optimiser / RNG state: tensors and plain values only (`weights_only=True` never runs code a
    file carries); anything else is refused as a learner error."""
    try:
        return torch.load(path, map_location=device, weights_only=True)
    except Exception as err:  # noqa: BLE001 - torch raises UnpicklingError, RuntimeError, …
        raise LearnerError(f"{path.name} in the start checkpoint is not plain tensor state (refused to unpickle it): {str(err).splitlines()[0]}") from err




def export_gguf_adapter(model, base_model: str, adapter_dir: Path):
    """llama.cpp's copy of the adapter for GGUF bases (see gguf_lora.py); a module llama.cpp cannot
    place is logged and skipped: the peft adapter, what the learner resumes from, is unaffected."""
    try:
        return export_lora_gguf(model, base_model, adapter_dir)
    except ImportError as err:
        log.warning("no llama.cpp adapter for this checkpoint: the gguf package is missing (%s)", err)
        return None
    except ValueError as err:
        log.warning("no llama.cpp adapter for this checkpoint: %s", err)
        return None


def save_checkpoint(inp, hp, model, optimizer, start, metrics, batch_path, batch_sha) -> dict:
    final = inp.step_dir()
    tmp = inp.run_dir() / f".step-{inp.step}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        model.save_pretrained(str(tmp / "adapter"))
        gguf_adapter = export_gguf_adapter(model, inp.base_model, tmp / "adapter")
        torch.save(optimizer.state_dict(), tmp / "optimizer.pt")
        torch.save(rng_state(), tmp / "rng.pt")
        (tmp / "scheduler.json").write_text(json.dumps({
            "schedule": hp.schedule, "warmupSteps": hp.warmup_steps, "maxSteps": hp.max_steps,
            "minLrRatio": hp.min_lr_ratio, "baseLearningRate": hp.learning_rate, "lastStep": inp.step, "lastLr": metrics["lr"],
        }, indent=2))
        record = {
            "runId": inp.run_id,
            "step": inp.step,
            "policyVersion": f"{inp.run_id}-step-{inp.step}",
            "adapterPath": str((final / "adapter").resolve()),
            "ggufAdapterPath": str((final / "adapter" / gguf_adapter.name).resolve()) if gguf_adapter else None,
            "checkpointPath": str(final.resolve()),
            "startCheckpoint": str(start.resolve()) if start is not None else None,
            "baseModel": inp.base_model,
            "batchPath": batch_path,
            "batchSha256": batch_sha,
            "hyperparameters": hp.to_json(),
            "metrics": metrics,
            "createdAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        (tmp / CHECKPOINT_FILE).write_text(json.dumps(record, indent=2))
        for f in tmp.rglob("*"):
            if f.is_file():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
        os.rename(tmp, final)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        existing = read_checkpoint(final)
        if existing is not None:  # lost a race with another attempt: its result stands
            return result_of(existing, reused=True)
        raise
    return result_of(record, reused=False)
