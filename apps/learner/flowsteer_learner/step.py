"""The optimisation of one learner step: a scoring pass at the step's start, then `ppoEpochs` passes
over the batch in mini-batches (one AdamW update each), each mini-batch in micro-batches (memory;
samples of similar length share one, `microbatch.py`, so padding costs little compute).

Scoring pass (no gradient, eval mode), for `loss: cwrpo`: the learner's own log-probs of every
trained token at the step's start (π_θold: the ratio's denominator where the sampler gave none, or
always with `oldLogprobs: recompute`) and the reference model's (adapter disabled; the KL term), kept
for all epochs; and the sampler–learner mismatch over tokens with a sampler log-prob: mean |Δ log p|
and the k3 estimate of KL(sampler ‖ learner).

Updates: ratio r = exp(log π_θ − log π_old) with π_old the sampler's log-prob (`oldLogprobs: sample`)
or the learner's at step start (`recompute`, optionally with truncated importance sampling against
the sampler, `tisCap`). The first update of a step sees the weights the ratio was taken against only
up to the sampler mismatch (and LoRA dropout); later mini-batches and epochs see updated weights, so
the ratio leaves 1 and the clip acts.
"""
from __future__ import annotations

import time
from typing import Callable, Optional

import torch

from .config import Hyperparameters
from .logprobs import policy_logprobs
from .loss import cwrpo_trajectory_loss, reinforce_trajectory_loss, sampler_mismatch, truncated_is_weights
from .microbatch import padded_tokens, plan_micro_batches
from .samples import collate

ProgressFn = Callable[[dict], None]


def _pad(rows: list[torch.Tensor], T: int, device) -> torch.Tensor:
    out = torch.zeros((len(rows), T), dtype=torch.float32)
    for i, r in enumerate(rows):
        out[i, : r.numel()] = r
    return out.to(device)


def _chunks(indices: list[int], size: int) -> list[list[int]]:
    return [indices[i:i + size] for i in range(0, len(indices), size)]


def micro_batches_of(indices: list[int], samples: list[dict], hp: Hyperparameters) -> list[list[int]]:
    return plan_micro_batches(indices, [len(s["tokenIds"]) for s in samples], hp.micro_batch_size, hp.micro_batch_tokens, hp.micro_batch_order)


def trajectories_of(samples: list[dict]) -> tuple[list[list[int]], list[float]]:
    """Sample indices grouped by trajectory (in first-seen order) and, per sample, the masked-token
    count of its whole trajectory: a trajectory may come as one sample or as one per director turn
    (exact sampled ids), and the loss is a mean over each trajectory's tokens either way."""
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(samples):
        groups.setdefault(str(s.get("trajectoryId", f"#{i}")), []).append(i)
    counts = [0.0] * len(samples)
    for idx in groups.values():
        total = float(sum(sum(1 for m in samples[i]["mask"][1:] if m) for i in idx))
        for i in idx:
            counts[i] = total
    return list(groups.values()), counts


class _Sums:
    def __init__(self) -> None:
        self.loss = self.surrogate = self.kl = 0.0
        self.passes = 0  # trajectory-passes (trajectories per epoch)
        self.clipped = self.masked = self.ratio_sum = 0.0
        self.ratio_max = float("-inf")

    def add(self, terms, trajectories: float) -> None:
        self.loss += float(terms.loss.detach().sum())
        self.surrogate += float(terms.surrogate.detach().sum())
        self.kl += float(terms.kl.detach().sum())
        self.passes += trajectories
        self.clipped += float(terms.clipped_tokens.sum())
        self.masked += float(terms.masked_tokens.sum())
        if terms.ratio_sum is not None:
            self.ratio_sum += float(terms.ratio_sum.sum())
            has = terms.masked_tokens > 0
            if bool(has.any()):
                self.ratio_max = max(self.ratio_max, float(terms.ratio_max[has].max()))


@torch.no_grad()
def score_at_start(model, samples: list[dict], hp: Hyperparameters, pad_id: int, vocab: int, device, use_ref: bool, beat: Callable[[int, int], None]):
    """Per-sample learner and reference log-probs at the step's start (CPU) and the mismatch sums."""
    was_training = model.training
    model.eval()
    start_lp: list[torch.Tensor] = [torch.zeros(0)] * len(samples)
    ref_lp: list[Optional[torch.Tensor]] = [None] * len(samples)
    abs_sum = k3_sum = count = 0.0
    micro = micro_batches_of(list(range(len(samples))), samples, hp)
    for k, idx in enumerate(micro):
        b = collate([samples[i] for i in idx], pad_id, vocab, device)
        lp = policy_logprobs(model, b["ids"], b["attn"], b["mask"], hp.logprob_chunk, b.get("support"))
        valid = b["has_old"] & (b["mask"] > 0)
        a, k3, c = sampler_mismatch(lp, b["old"], valid)
        abs_sum, k3_sum, count = abs_sum + a, k3_sum + k3, count + c
        ref = None
        if use_ref:
            with model.disable_adapter():
                ref = policy_logprobs(model, b["ids"], b["attn"], b["mask"], hp.logprob_chunk, b.get("support"))
        for j, i in enumerate(idx):
            n = len(samples[i]["tokenIds"])
            start_lp[i] = lp[j, :n].float().cpu()
            if ref is not None:
                ref_lp[i] = ref[j, :n].float().cpu()
        beat(k + 1, len(micro))
    if was_training:
        model.train()
    mismatch = {
        "samplerTokens": int(count),
        "samplerLogprobAbsDiff": abs_sum / count if count else 0.0,
        "samplerKlK3": k3_sum / count if count else 0.0,
    }
    return start_lp, ref_lp, mismatch


def train_step(model, optimizer, params, samples: list[dict], hp: Hyperparameters, step: int, progress: Optional[ProgressFn], run_id: str) -> dict:
    """Runs the step's updates on `model` in place; returns its metrics (see the module docstring)."""
    t0 = time.perf_counter()
    device = next(model.parameters()).device
    N = len(samples)
    pad_id = model.config.pad_token_id if model.config.pad_token_id is not None else 0
    vocab = model.get_input_embeddings().weight.shape[0]
    cwrpo = hp.loss == "cwrpo"
    use_ref = cwrpo and hp.kl_beta != 0
    mean = hp.effective_reduction == "mean"
    groups, traj_counts = trajectories_of(samples)
    n_traj = len(groups)
    groups_of = {i: g for g in groups for i in g}  # sample -> its trajectory's samples
    mini = hp.mini_batch_size or n_traj  # trajectories per optimiser update
    lengths = [len(s["tokenIds"]) for s in samples]
    plan: list[list[tuple[list[int], list[list[int]]]]] = []  # per epoch, per mini-batch: (trajectories, micro-batches)
    for epoch in range(hp.ppo_epochs):
        order = list(range(n_traj))
        if mini < n_traj:  # a fresh, reproducible order of the mini-batches each epoch
            g = torch.Generator().manual_seed(hp.seed * 1_000_003 + step * 1_009 + epoch)
            order = torch.randperm(n_traj, generator=g).tolist()
        plan.append([(mb, micro_batches_of([i for t in mb for i in groups[t]], samples, hp)) for mb in _chunks(order, mini)])
    n_micro_total = sum(len(micro) for epoch in plan for _, micro in epoch)
    computed = sum(padded_tokens(micro, lengths) for epoch in plan for _, micro in epoch)

    def beat(details: dict) -> None:
        if progress is not None:
            progress({"runId": run_id, "step": step, "samples": N, **details})

    metrics: dict = {}
    start_lp: list = []
    ref_lp: list = []
    if cwrpo:
        start_lp, ref_lp, mismatch = score_at_start(model, samples, hp, pad_id, vocab, device, use_ref,
                                                    lambda k, n: beat({"phase": "scoring", "scoringBatch": k, "scoringBatches": n}))
        metrics.update(mismatch)

    sums = _Sums()
    grad_norms: list[float] = []
    done_micro = done_samples = 0
    for epoch, mini_batches in enumerate(plan):
        for mb_traj, micro in mini_batches:
            optimizer.zero_grad(set_to_none=True)
            scale = 1.0 / len(mb_traj) if mean else 1.0
            for idx in micro:
                chunk = [samples[i] for i in idx]
                b = collate(chunk, pad_id, vocab, device)
                new_lp = policy_logprobs(model, b["ids"], b["attn"], b["mask"], hp.logprob_chunk, b.get("support"))
                denom = torch.tensor([traj_counts[i] for i in idx], dtype=torch.float32, device=device)
                if not cwrpo:
                    terms = reinforce_trajectory_loss(new_lp, b["mask"], b["adv"], denom)
                else:
                    T = b["ids"].shape[1]
                    learner_old = _pad([start_lp[i] for i in idx], T, device)
                    sampled = b["has_old"] & (b["mask"] > 0)
                    old = torch.where(sampled, b["old"], learner_old) if hp.old_logprobs == "sample" else learner_old
                    weights = truncated_is_weights(learner_old, b["old"], sampled, hp.tis_cap) if hp.tis_cap is not None else None
                    ref = _pad([ref_lp[i] for i in idx], T, device) if use_ref else None
                    terms = cwrpo_trajectory_loss(new_lp, old, b["mask"], b["adv"], ref, hp.clip_epsilon, hp.kl_beta, is_weights=weights, denominators=denom)
                (terms.loss.sum() * scale).backward()
                sums.add(terms, sum(1.0 / len(groups_of[i]) for i in idx))
                done_micro += 1
                done_samples += len(idx)
                beat({"phase": "training", "epoch": epoch + 1, "microBatch": done_micro, "microBatches": n_micro_total,
                      "samplesDone": done_samples if hp.ppo_epochs == 1 else None})
            if hp.max_grad_norm and hp.max_grad_norm > 0:
                grad_norms.append(float(torch.nn.utils.clip_grad_norm_(params, hp.max_grad_norm)))
            else:
                grads = [p.grad.detach().norm() for p in params if p.grad is not None]
                grad_norms.append(float(torch.norm(torch.stack(grads))) if grads else 0.0)
            optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    train_seconds = time.perf_counter() - t0
    tokens = sum(len(s["tokenIds"]) for s in samples)
    passes = max(1e-9, sums.passes)
    metrics.update({
        "loss": sums.loss / passes if mean else sums.loss / hp.ppo_epochs,  # per trajectory (mean) or batch sum
        "surrogate": sums.surrogate / passes,
        "kl": sums.kl / passes,
        "clippedFraction": sums.clipped / sums.masked if sums.masked else 0.0,
        "ratioMean": sums.ratio_sum / sums.masked if sums.masked and cwrpo else 1.0,
        "ratioMax": sums.ratio_max if sums.ratio_max > float("-inf") else 1.0,
        "gradNorm": grad_norms[-1] if grad_norms else 0.0,
        "gradNormMean": sum(grad_norms) / len(grad_norms) if grad_norms else 0.0,
        "optimizerSteps": len(grad_norms),
        "ppoEpochs": hp.ppo_epochs,
        "samples": N,
        "trajectories": n_traj,
        "tokens": tokens,
        "maskedTokens": int(sum(sum(1 for m in s["mask"][1:] if m) for s in samples)),
        "tokensPerSecond": tokens * hp.ppo_epochs / train_seconds if train_seconds > 0 else 0.0,
        "trainSeconds": train_seconds,
        "microBatches": n_micro_total,
        # token positions the training passes computed (padding included) and the padding's share
        "paddedTokens": computed,
        "paddingFraction": 1.0 - tokens * hp.ppo_epochs / computed if computed else 0.0,
        "device": str(device),
    })
    return metrics
