"""The CWRPO loss in torch (spec §5.1) and the reference code's REINFORCE variant (spec §5.2).

Everything works on padded [B, T] tensors of per-token log-probabilities of the sampled tokens with a
0/1 mask (1 = director token, trained on; 0 = prompt, canvas feedback or padding). It mirrors
`libs/cwrpo/src/loss.ts` so `libs/cwrpo/test-vectors/cwrpo-loss.json` checks both.

    r_t   = exp(logp_new - logp_old)
    s_t   = min(r_t A, clip(r_t, 1-eps, 1+eps) A)
    k3_t  = exp(ref - new) - (ref - new) - 1
    L_i   = -(mean_masked(w_t s_t) - beta * mean_masked(k3))      (0 when no token is masked)
    L     = (1/N) sum_i L_i

`w_t` is 1 unless truncated importance sampling is on (`tisCap`): then `logp_old` is the learner's own
log-prob at the start of the step and w_t = min(exp(logp_old - logp_sampler), cap) corrects for the
sampler (vLLM, llama.cpp) computing different numbers than the learner.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch

DEFAULT_CLIP_EPSILON = 0.2
DEFAULT_KL_BETA = 0.005


@dataclass
class LossTerms:
    """Per-trajectory terms, each of shape [B]. `loss` carries the gradient."""

    loss: torch.Tensor
    surrogate: torch.Tensor
    kl: torch.Tensor
    masked_tokens: torch.Tensor
    clipped_tokens: torch.Tensor
    #: sum and max of the ratio over masked tokens (detached), for the step's metrics
    ratio_sum: Optional[torch.Tensor] = None
    ratio_max: Optional[torch.Tensor] = None

    @property
    def clipped_fraction(self) -> torch.Tensor:
        return torch.where(self.masked_tokens > 0, self.clipped_tokens / self.masked_tokens.clamp(min=1), torch.zeros_like(self.clipped_tokens))


def token_ratio(new_logprobs: torch.Tensor, old_logprobs: torch.Tensor) -> torch.Tensor:
    return torch.exp(new_logprobs - old_logprobs)


def clipped_surrogate(ratio: torch.Tensor, advantage: torch.Tensor, clip_epsilon: float = DEFAULT_CLIP_EPSILON) -> torch.Tensor:
    """min(r A, clip(r, 1-eps, 1+eps) A) per token; `advantage` broadcasts ([B, 1] against [B, T])."""
    clipped = torch.clamp(ratio, 1.0 - clip_epsilon, 1.0 + clip_epsilon)
    return torch.minimum(ratio * advantage, clipped * advantage)


def k3_kl(new_logprobs: torch.Tensor, ref_logprobs: torch.Tensor) -> torch.Tensor:
    """k3 estimator of KL(pi_theta || pi_ref) at tokens sampled from pi_theta; >= 0."""
    d = ref_logprobs - new_logprobs
    return torch.exp(d) - d - 1.0


def _masked_mean(values: torch.Tensor, mask: torch.Tensor, count: torch.Tensor) -> torch.Tensor:
    # where() instead of multiplication so a non-finite value under mask 0 can never leak in.
    total = torch.where(mask > 0, values, torch.zeros_like(values)).sum(dim=-1)
    return torch.where(count > 0, total / count.clamp(min=1), torch.zeros_like(total))


def cwrpo_trajectory_loss(
    new_logprobs: torch.Tensor,
    old_logprobs: torch.Tensor,
    mask: torch.Tensor,
    advantages: torch.Tensor,
    ref_logprobs: Optional[torch.Tensor] = None,
    clip_epsilon: float = DEFAULT_CLIP_EPSILON,
    kl_beta: float = DEFAULT_KL_BETA,
    is_weights: Optional[torch.Tensor] = None,
    denominators: Optional[torch.Tensor] = None,
) -> LossTerms:
    """Per-trajectory CWRPO loss. Shapes: logprobs and mask [B, T] (or [T]), advantages [B] (or scalar);
    `is_weights` [B, T]: per-token importance weights (truncated IS against the sampler), no gradient.
    `denominators` [B]: divide each row's masked sums by this instead of its own masked count — the
    masked count of the row's whole trajectory when a trajectory comes as several rows (one per turn),
    so the rows' losses add up to the trajectory's mean."""
    if new_logprobs.dim() == 1:
        new_logprobs, old_logprobs, mask = new_logprobs[None], old_logprobs[None], mask[None]
        ref_logprobs = None if ref_logprobs is None else ref_logprobs[None]
        is_weights = None if is_weights is None else is_weights[None]
    advantages = torch.as_tensor(advantages, dtype=new_logprobs.dtype, device=new_logprobs.device).reshape(-1)
    mask = mask.to(new_logprobs.dtype)
    count = mask.sum(dim=-1)
    denom = count if denominators is None else torch.as_tensor(denominators, dtype=count.dtype, device=count.device).reshape(-1)
    # Keep masked-out positions finite (old log-probs may be absent there).
    old = torch.where(mask > 0, old_logprobs, new_logprobs.detach())
    ratio = token_ratio(new_logprobs, old)
    per_token = clipped_surrogate(ratio, advantages[:, None], clip_epsilon)
    if is_weights is not None:
        per_token = per_token * torch.where(mask > 0, is_weights.to(per_token.dtype), torch.ones_like(per_token)).detach()
    surrogate = _masked_mean(per_token, mask, denom)
    r = ratio.detach()
    ratio_sum = torch.where(mask > 0, r, torch.zeros_like(r)).sum(dim=-1)
    ratio_max = torch.where(mask > 0, r, torch.full_like(r, float("-inf"))).amax(dim=-1)
    outside = ((ratio < 1.0 - clip_epsilon) | (ratio > 1.0 + clip_epsilon)).to(mask.dtype) * mask
    if ref_logprobs is not None:
        ref = torch.where(mask > 0, ref_logprobs, new_logprobs.detach())
        kl = _masked_mean(k3_kl(new_logprobs, ref), mask, denom)
    else:
        kl = torch.zeros_like(surrogate)
    loss = torch.where(count > 0, -(surrogate - kl_beta * kl), torch.zeros_like(surrogate))
    return LossTerms(loss=loss, surrogate=surrogate, kl=kl, masked_tokens=count, clipped_tokens=outside.sum(dim=-1).detach(), ratio_sum=ratio_sum, ratio_max=ratio_max)


def sampler_mismatch(learner_logprobs: torch.Tensor, sampler_logprobs: torch.Tensor, valid: torch.Tensor) -> tuple[float, float, float]:
    """(sum |Δ log p|, sum k3, count) over `valid` tokens (masked and with a sampler log-prob), with
    Δ = learner − sampler and k3 = exp(Δ) − Δ − 1: the k3 estimate of KL(sampler ‖ learner) at tokens the
    sampler drew. Sums, so micro-batches add up; divide by the count."""
    d = (learner_logprobs.double() - sampler_logprobs.double())
    d = torch.where(valid, d, torch.zeros_like(d))
    return float(d.abs().sum()), float((torch.exp(d) - d - 1.0).sum()), float(valid.sum())


def truncated_is_weights(learner_old: torch.Tensor, sampler: torch.Tensor, valid: torch.Tensor, cap: float) -> torch.Tensor:
    """min(π_learner_old / π_sampler, cap) per token; 1 where the sampler's log-prob is absent."""
    w = torch.exp(learner_old - sampler).clamp(max=cap)
    return torch.where(valid, w, torch.ones_like(w))


def reinforce_trajectory_loss(new_logprobs: torch.Tensor, mask: torch.Tensor, advantages: torch.Tensor, denominators: Optional[torch.Tensor] = None) -> LossTerms:
    """The reference code's loss: -A * mean_masked(log pi). No ratio, clip or KL."""
    if new_logprobs.dim() == 1:
        new_logprobs, mask = new_logprobs[None], mask[None]
    advantages = torch.as_tensor(advantages, dtype=new_logprobs.dtype, device=new_logprobs.device).reshape(-1)
    mask = mask.to(new_logprobs.dtype)
    count = mask.sum(dim=-1)
    denom = count if denominators is None else torch.as_tensor(denominators, dtype=count.dtype, device=count.device).reshape(-1)
    mean_lp = _masked_mean(new_logprobs, mask, denom)
    loss = torch.where(count > 0, -advantages * mean_lp, torch.zeros_like(mean_lp))
    zeros = torch.zeros_like(mean_lp).detach()
    return LossTerms(loss=loss, surrogate=-loss.detach(), kl=zeros, masked_tokens=count, clipped_tokens=zeros)


def sequence_logprobs(logits: torch.Tensor, input_ids: torch.Tensor) -> torch.Tensor:
    """log pi(token t | tokens < t) for t = 1..T-1, placed at position t; position 0 gets 0.

    The mask of a TrainingSample is not shifted (mask[t] applies to the prediction of token t), so
    the result is aligned with input_ids and the mask directly; token 0 is never predicted and the
    learner zeroes its mask.
    """
    logp = torch.log_softmax(logits[:, :-1, :].float(), dim=-1)
    picked = torch.gather(logp, -1, input_ids[:, 1:, None]).squeeze(-1)
    return torch.cat([torch.zeros_like(picked[:, :1]), picked], dim=1)
