"""Training samples: the batch file (TrainingSample JSON, libs/contracts/src/trajectory.ts) and its
right-padded tensors."""
from __future__ import annotations

import json
import math
from pathlib import Path

import torch

from .model import LearnerError


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
        support = s.get("support")
        if support is not None:
            if len(support) != n:
                raise LearnerError(f"batch file {path}: sample {i} ({s.get('trajectoryId')}): support must have one entry per token")
            for t, ids in enumerate(support):
                if ids is not None and s["tokenIds"][t] not in ids:
                    raise LearnerError(f"batch file {path}: sample {i} ({s.get('trajectoryId')}): token {t} is not in the set its sampler chose from")
    return data


def collate(samples: list[dict], pad_id: int, vocab_size: int, device: torch.device) -> dict[str, torch.Tensor]:
    """Right-padded tensors: ids, attention, loss mask (token 0 and padding are 0), the sampler's
    log-probs (`old`) and whether each is present (`has_old`), advantages; and, when a sample says
    which ids its sampler chose each token from, `support` [B, T, K] (-1 pads; a row of -1: the whole
    vocabulary)."""
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
    out = dict(ids=ids, attn=attn, mask=mask, old=old, has_old=has_old, adv=adv)
    K = max((len(x) for s in samples for x in (s.get("support") or []) if x is not None), default=0)
    if K > 0:
        support = torch.full((B, T, K), -1, dtype=torch.long)
        for i, s in enumerate(samples):
            for t, x in enumerate(s.get("support") or []):
                if x is not None:
                    support[i, t, : len(x)] = torch.tensor(x, dtype=torch.long)
        out["support"] = support
    return {k: v.to(device) for k, v in out.items()}
