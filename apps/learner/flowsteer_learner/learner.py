"""One CWRPO learner step: load the policy and its optimiser, run the step's updates (step.py), and
save a versioned checkpoint atomically (checkpoints.py).

Idempotent by (run, step): when `<artifacts>/runs/<run>/step-<k>/checkpoint.json` exists the stored
result is returned without training. A step interrupted before its checkpoint was renamed into place
leaves no trace but a temporary folder, removed on the next attempt, which restarts the step from the
checkpoint it starts from (same weights, optimiser state and RNG, so the same result).

Trust: the artifact root is the learner's own (never the input's), every path in the input must
resolve inside it, and checkpoint state is read with `torch.load(weights_only=True)`.
"""
from __future__ import annotations

import hashlib
import logging
import shutil
import time
from pathlib import Path
from typing import Any, Callable, Optional

import torch

from .checkpoints import (
    CHECKPOINT_FILE,
    find_start_checkpoint,
    load_tensors,
    read_checkpoint,
    result_of,
    save_checkpoint,
    set_rng,
    step_lock,
)
from .config import Hyperparameters, StepInput, lr_at
from .model import PolicyCache, load_adapter_weights, reset_adapter
from .samples import collate, load_samples
from .step import train_step

log = logging.getLogger("flowsteer_learner.learner")

ProgressFn = Callable[[dict], None]

_CACHE = PolicyCache()

__all__ = ["run_learner_step", "collate", "load_samples", "CHECKPOINT_FILE"]


def run_learner_step(raw_input: Any, progress: Optional[ProgressFn] = None, artifacts_root: Optional[Path] = None) -> dict:
    """Applies optimiser step `step` of run `runId` once; see the module docstring. `artifacts_root`:
    the learner's artifact store (default: FLOWSTEER_ARTIFACTS / FLOWSTEER_HOME / ./.flowsteer/artifacts)."""
    inp = StepInput.from_json(raw_input, artifacts_root)
    hp = inp.hyperparameters
    final = inp.step_dir()
    done = read_checkpoint(final)
    if done is not None:
        return result_of(done, reused=True)
    with step_lock(inp):
        done = read_checkpoint(final)  # another attempt may have finished while we waited
        if done is not None:
            return result_of(done, reused=True)
        for stale in inp.run_dir().glob(f".step-{inp.step}.tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        return _train_and_save(inp, hp, progress)


def _train_and_save(inp: StepInput, hp: Hyperparameters, progress: Optional[ProgressFn]) -> dict:
    t_load = time.perf_counter()
    batch_path = inp.resolve_batch_path()
    samples = load_samples(batch_path)
    batch_sha = hashlib.sha256(batch_path.read_bytes()).hexdigest()
    start = find_start_checkpoint(inp)

    model = _CACHE.get(inp.base_model, hp.dtype, hp.lora)
    device = next(model.parameters()).device
    if start is not None:
        load_adapter_weights(model, start / "adapter" if (start / "adapter").is_dir() else start)
    else:
        reset_adapter(model, hp.seed)
    model.train()
    if hp.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()

    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=hp.learning_rate, betas=hp.betas, eps=hp.adam_epsilon, weight_decay=hp.weight_decay)
    rng = None
    if start is not None and (start / "optimizer.pt").exists():
        optimizer.load_state_dict(load_tensors(start / "optimizer.pt", device))
    if start is not None and (start / "rng.pt").exists():
        rng = load_tensors(start / "rng.pt", torch.device("cpu"))
    set_rng(rng, hp.seed * 1_000_003 + inp.step)
    lr = lr_at(hp, inp.step)
    for group in optimizer.param_groups:
        group["lr"] = lr
    load_seconds = time.perf_counter() - t_load

    try:
        metrics = train_step(model, optimizer, params, samples, hp, inp.step, progress, inp.run_id)
    finally:
        if hp.gradient_checkpointing:
            model.gradient_checkpointing_disable()
        model.eval()
    metrics.update({"lr": lr, "loadSeconds": load_seconds})
    return save_checkpoint(inp, hp, model, optimizer, start, metrics, str(batch_path), batch_sha)
