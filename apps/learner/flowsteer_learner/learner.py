"""One CWRPO learner step: load the policy, compute the loss over the batch in micro-batches,
clip, step AdamW with the schedule, and save a versioned checkpoint atomically.

Idempotent by (run, step): when `<artifacts>/runs/<run>/step-<k>/checkpoint.json` exists the stored
result is returned without training. A step interrupted before its checkpoint was renamed into place
leaves no trace but a temporary folder, removed on the next attempt, which restarts the step from the
checkpoint it starts from (same weights, optimiser state and RNG, so the same result).
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import math
import os
import random
import shutil
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Optional

import torch

from .config import Hyperparameters, StepInput, inside_root, lr_at
from .gguf_lora import export_lora_gguf
from .loss import cwrpo_trajectory_loss, reinforce_trajectory_loss, sequence_logprobs
from .model import LearnerError, PolicyCache, load_adapter_weights, reset_adapter

log = logging.getLogger("flowsteer_learner.learner")

ProgressFn = Callable[[dict], None]

_CACHE = PolicyCache()
CHECKPOINT_FILE = "checkpoint.json"


# ---------------------------------------------------------------- samples

def load_samples(path: Path) -> list[dict]:
    """A JSON array of TrainingSample, an object with `samples`, or JSON lines."""
    if not path.exists():
        raise LearnerError(f"batch file {path} not found: pass batchPath of a JSON file of TrainingSample (absolute, or relative to the artifacts folder)")
    text = path.read_text()
    if path.suffix == ".jsonl":
        data = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        data = json.loads(text)
        if isinstance(data, dict):
            data = data.get("samples")
    if not isinstance(data, list):
        raise LearnerError(f"batch file {path}: expected a JSON array of TrainingSample or an object with 'samples'")
    for i, s in enumerate(data):
        for key in ("tokenIds", "mask", "advantage"):
            if key not in s:
                raise LearnerError(f"batch file {path}: sample {i} has no {key!r} (see libs/contracts/src/trajectory.ts TrainingSample)")
        n = len(s["tokenIds"])
        if len(s["mask"]) != n or ("oldLogprobs" in s and s["oldLogprobs"] is not None and len(s["oldLogprobs"]) != n):
            raise LearnerError(f"batch file {path}: sample {i} ({s.get('trajectoryId')}): tokenIds, mask and oldLogprobs must have one entry per token")
        if not math.isfinite(float(s["advantage"])):
            raise LearnerError(f"batch file {path}: sample {i} has a non-finite advantage")
    return data


def collate(samples: list[dict], pad_id: int, vocab_size: int, device: torch.device) -> dict[str, torch.Tensor]:
    """Right-padded tensors: ids, attention, loss mask (token 0 and padding are 0), old log-probs and
    whether each is present, advantages."""
    T = max(1, max(len(s["tokenIds"]) for s in samples))
    B = len(samples)
    ids = torch.full((B, T), pad_id, dtype=torch.long)
    attn = torch.zeros((B, T), dtype=torch.long)
    mask = torch.zeros((B, T), dtype=torch.float32)
    old = torch.zeros((B, T), dtype=torch.float32)
    has_old = torch.zeros((B, T), dtype=torch.bool)
    for i, s in enumerate(samples):
        n = len(s["tokenIds"])
        if n == 0:
            continue
        tok = torch.tensor(s["tokenIds"], dtype=torch.long)
        if int(tok.max()) >= vocab_size or int(tok.min()) < 0:
            raise LearnerError(f"sample {s.get('trajectoryId')}: token id outside the model's vocabulary (size {vocab_size}); were the samples tokenised with this model's tokeniser?")
        ids[i, :n] = tok
        attn[i, :n] = 1
        mask[i, :n] = torch.tensor([1.0 if m else 0.0 for m in s["mask"]])
        lps = s.get("oldLogprobs") or [None] * n
        for t, lp in enumerate(lps):
            if lp is not None:
                old[i, t] = float(lp)
                has_old[i, t] = True
    mask[:, 0] = 0.0  # token 0 is never predicted
    adv = torch.tensor([float(s["advantage"]) for s in samples], dtype=torch.float32)
    return {k: v.to(device) for k, v in dict(ids=ids, attn=attn, mask=mask, old=old, has_old=has_old, adv=adv).items()}


# ---------------------------------------------------------------- checkpoints

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


def _result(record: dict, reused: bool) -> dict:
    out = {k: record[k] for k in ("runId", "step", "policyVersion", "adapterPath", "checkpointPath", "startCheckpoint", "metrics")}
    out["reused"] = reused
    return out


def _rng_state() -> dict:
    """Tensors, ints and floats only, so it loads with `torch.load(weights_only=True)`."""
    version, internal, gauss = random.getstate()
    return {
        "torch": torch.random.get_rng_state(),
        "pythonVersion": version,
        "python": torch.tensor(internal, dtype=torch.int64),
        "pythonGauss": gauss,
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }


def _set_rng(state: Optional[dict], seed: int) -> None:
    if state is not None:
        torch.random.set_rng_state(state["torch"])
        random.setstate((int(state["pythonVersion"]), tuple(int(x) for x in state["python"].tolist()), state["pythonGauss"]))
        if state.get("cuda") and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["cuda"])
    else:
        torch.manual_seed(seed)
        random.seed(seed)


def _load_tensors(path: Path, device: torch.device) -> dict:
    """Optimiser / RNG state: tensors and plain values only (`weights_only=True` never runs code a
    file carries); anything else is refused as a learner error."""
    try:
        return torch.load(path, map_location=device, weights_only=True)
    except Exception as err:  # noqa: BLE001 - torch raises UnpicklingError, RuntimeError, …
        raise LearnerError(f"{path.name} in the start checkpoint is not plain tensor state (refused to unpickle it): {str(err).splitlines()[0]}") from err


# ---------------------------------------------------------------- the step

def run_learner_step(raw_input: Any, progress: Optional[ProgressFn] = None, artifacts_root: Optional[Path] = None) -> dict:
    """Applies optimiser step `step` of run `runId` once; see the module docstring. `artifacts_root`:
    the learner's artifact store (default: FLOWSTEER_ARTIFACTS / FLOWSTEER_HOME / ./.flowsteer/artifacts)."""
    inp = StepInput.from_json(raw_input, artifacts_root)
    hp = inp.hyperparameters
    final = inp.step_dir()
    done = read_checkpoint(final)
    if done is not None:
        return _result(done, reused=True)
    with step_lock(inp):
        done = read_checkpoint(final)  # another attempt may have finished while we waited
        if done is not None:
            return _result(done, reused=True)
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
    adapter_dir = None
    if start is not None:
        adapter_dir = start / "adapter" if (start / "adapter").is_dir() else start
        load_adapter_weights(model, adapter_dir)
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
        optimizer.load_state_dict(_load_tensors(start / "optimizer.pt", device))
    if start is not None and (start / "rng.pt").exists():
        rng = _load_tensors(start / "rng.pt", torch.device("cpu"))
    _set_rng(rng, hp.seed * 1_000_003 + inp.step)
    lr = lr_at(hp, inp.step)
    for group in optimizer.param_groups:
        group["lr"] = lr
    load_seconds = time.perf_counter() - t_load

    t0 = time.perf_counter()
    optimizer.zero_grad(set_to_none=True)
    N = len(samples)
    scale = 1.0 / max(1, N) if hp.effective_reduction == "mean" else 1.0
    pad_id = model.config.pad_token_id if model.config.pad_token_id is not None else 0
    vocab = model.get_input_embeddings().weight.shape[0]
    sums = {"loss": 0.0, "surrogate": 0.0, "kl": 0.0, "clipped": 0.0, "masked": 0.0, "tokens": 0}
    n_micro = max(1, math.ceil(N / hp.micro_batch_size))
    use_ref = hp.loss == "cwrpo" and hp.kl_beta != 0
    for mb_index in range(n_micro):
        chunk = samples[mb_index * hp.micro_batch_size:(mb_index + 1) * hp.micro_batch_size]
        if not chunk:
            break
        b = collate(chunk, pad_id, vocab, device)
        logits = model(input_ids=b["ids"], attention_mask=b["attn"]).logits
        new_lp = sequence_logprobs(logits, b["ids"])
        del logits
        if hp.loss == "reinforce":
            terms = reinforce_trajectory_loss(new_lp, b["mask"], b["adv"])
        else:
            if hp.old_logprobs == "sample":
                old = torch.where(b["has_old"], b["old"], new_lp.detach())
            else:
                old = new_lp.detach()
            ref = None
            if use_ref:
                with torch.no_grad(), model.disable_adapter():
                    ref = sequence_logprobs(model(input_ids=b["ids"], attention_mask=b["attn"]).logits, b["ids"])
            terms = cwrpo_trajectory_loss(new_lp, old, b["mask"], b["adv"], ref, hp.clip_epsilon, hp.kl_beta)
        (terms.loss.sum() * scale).backward()
        sums["loss"] += float(terms.loss.detach().sum())
        sums["surrogate"] += float(terms.surrogate.detach().sum())
        sums["kl"] += float(terms.kl.detach().sum())
        sums["clipped"] += float(terms.clipped_tokens.sum())
        sums["masked"] += float(terms.masked_tokens.sum())
        sums["tokens"] += int(b["attn"].sum())
        if progress is not None:
            progress({"runId": inp.run_id, "step": inp.step, "microBatch": mb_index + 1, "microBatches": n_micro, "samplesDone": min(N, (mb_index + 1) * hp.micro_batch_size), "samples": N})

    if hp.max_grad_norm and hp.max_grad_norm > 0:
        grad_norm = float(torch.nn.utils.clip_grad_norm_(params, hp.max_grad_norm))
    else:
        grads = [p.grad.detach().norm() for p in params if p.grad is not None]
        grad_norm = float(torch.norm(torch.stack(grads))) if grads else 0.0
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    train_seconds = time.perf_counter() - t0
    if hp.gradient_checkpointing:
        model.gradient_checkpointing_disable()
    model.eval()

    metrics = {
        "loss": sums["loss"] * (1.0 / max(1, N) if hp.effective_reduction == "mean" else 1.0),
        "surrogate": sums["surrogate"] / max(1, N),
        "kl": sums["kl"] / max(1, N),
        "clippedFraction": sums["clipped"] / sums["masked"] if sums["masked"] else 0.0,
        "gradNorm": grad_norm,
        "samples": N,
        "tokens": sums["tokens"],
        "maskedTokens": int(sums["masked"]),
        "tokensPerSecond": sums["tokens"] / train_seconds if train_seconds > 0 else 0.0,
        "lr": lr,
        "trainSeconds": train_seconds,
        "loadSeconds": load_seconds,
        "microBatches": n_micro,
        "device": str(device),
    }
    return _save_checkpoint(inp, hp, model, optimizer, start, metrics, str(batch_path), batch_sha)


def _export_gguf_adapter(model, base_model: str, adapter_dir: Path):
    """llama.cpp's copy of the adapter for GGUF bases (see gguf_lora.py); a module llama.cpp cannot
    place is logged and skipped: the peft adapter, what the learner resumes from, is unaffected."""
    try:
        return export_lora_gguf(model, base_model, adapter_dir)
    except ValueError as err:
        log.warning("no llama.cpp adapter for this checkpoint: %s", err)
        return None


def _save_checkpoint(inp, hp, model, optimizer, start, metrics, batch_path, batch_sha) -> dict:
    final = inp.step_dir()
    tmp = inp.run_dir() / f".step-{inp.step}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        model.save_pretrained(str(tmp / "adapter"))
        gguf_adapter = _export_gguf_adapter(model, inp.base_model, tmp / "adapter")
        torch.save(optimizer.state_dict(), tmp / "optimizer.pt")
        torch.save(_rng_state(), tmp / "rng.pt")
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
            return _result(existing, reused=True)
        raise
    return _result(record, reused=False)
