"""Per-token log-probs of the sampled tokens without holding the full-vocabulary logits.

The naive way (`loss.sequence_logprobs`) takes the model's logits [B, T, V] and a float32
`log_softmax` of them: at Qwen3 shape (V = 151,936) and a micro-batch of 4 × 8,192 tokens that is
~20 GB of float32 plus the bf16 logits and their gradients. Here the decoder's hidden states are
taken instead, only the positions whose log-prob is needed (the loss mask; padding and prompt rows are
skipped) go through `lm_head`, in chunks of `chunk` rows, each chunk as `log p = logit[token] −
logsumexp(logits)` under activation checkpointing: the forward frees each chunk's logits, the
backward recomputes one chunk at a time. Peak extra memory is one chunk's logits (chunk × V).

Where the sampler chose a token among a subset of the vocabulary (llama.cpp: the grammar's allowed
tokens, then top-k/top-p), `support` names that subset per position and the log-prob is normalised
over it, as the sampler's was: log p = logit[token] − logsumexp(logits[support]).
"""
from __future__ import annotations

from typing import Optional

import torch
from torch.utils.checkpoint import checkpoint

from .loss import sequence_logprobs

#: rows (token positions) of lm_head per chunk; 2,048 × 151,936 float32 ≈ 1.2 GB
DEFAULT_CHUNK = 2048


def _causal_lm(model):
    """The transformers CausalLM under a peft model (LoRA layers are injected in place, so calling its
    decoder uses the adapter, and `disable_adapter()` still works)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def can_split(model) -> bool:
    """Whether logits are exactly lm_head(decoder(x)): no logit scaling or soft-capping in between."""
    causal = _causal_lm(model)
    cfg = causal.config
    if getattr(cfg, "final_logit_softcapping", None) or getattr(cfg, "logit_scale", None) not in (None, 1, 1.0):
        return False
    return hasattr(causal, "get_decoder") and causal.get_output_embeddings() is not None


def restricted_logprob(logits: torch.Tensor, targets: torch.Tensor, support: Optional[torch.Tensor]) -> torch.Tensor:
    """log p(target) per row of float logits [R, V], normalised over the row's support [R, K] (-1 pads)
    where it has one and over the whole vocabulary where it has none."""
    lse = torch.logsumexp(logits, dim=-1)
    if support is not None:
        valid = support >= 0
        restricted = torch.logsumexp(logits.gather(-1, support.clamp(min=0)).masked_fill(~valid, float("-inf")), dim=-1)
        lse = torch.where(valid.any(-1), restricted, lse)
    return logits.gather(-1, targets[:, None]).squeeze(-1) - lse


def _rows_logprob(head, hidden: torch.Tensor, targets: torch.Tensor, support: Optional[torch.Tensor] = None) -> torch.Tensor:
    return restricted_logprob(head(hidden).float(), targets, support)


def policy_logprobs(
    model, ids: torch.Tensor, attn: torch.Tensor, need: Optional[torch.Tensor] = None, chunk: int = DEFAULT_CHUNK, support: Optional[torch.Tensor] = None
) -> torch.Tensor:
    """log π(ids[t] | ids[<t]) at [B, T] (position 0 and positions not in `need` are 0), float32.

    `need` [B, T]: the positions whose log-prob is used (default: every non-padding position).
    `support` [B, T, K]: per position the ids the sampler chose among (-1 pads; none: the vocabulary).
    `chunk <= 0` or a model whose logits are not lm_head(hidden): the naive full-logits path."""
    if chunk <= 0 or not can_split(model):
        logits = model(input_ids=ids, attention_mask=attn).logits
        if support is None:
            return sequence_logprobs(logits, ids)
        B, T, V = logits.shape
        rows = restricted_logprob(logits[:, :-1].reshape(-1, V).float(), ids[:, 1:].reshape(-1), support[:, 1:].reshape(B * (T - 1), -1))
        return torch.cat([torch.zeros((B, 1), dtype=torch.float32, device=logits.device), rows.view(B, T - 1)], dim=1)
    causal = _causal_lm(model)
    hidden = causal.get_decoder()(input_ids=ids, attention_mask=attn).last_hidden_state
    B, T, H = hidden.shape
    out = torch.zeros((B, T), dtype=torch.float32, device=hidden.device)
    want = attn.bool() if need is None else (need > 0) & attn.bool()
    want = want.clone()
    want[:, 0] = False
    flat = want[:, 1:].reshape(-1).nonzero().squeeze(-1)  # rows of hidden[:, :-1] to score
    if flat.numel() == 0:
        return out + 0.0 * hidden.sum()  # keeps the graph connected for backward()
    h = hidden[:, :-1].reshape(-1, H).index_select(0, flat)
    targets = ids[:, 1:].reshape(-1).index_select(0, flat)
    head = causal.get_output_embeddings()
    grad = torch.is_grad_enabled() and h.requires_grad
    sup = support[:, 1:].reshape(B * (T - 1), -1).index_select(0, flat) if support is not None else None
    sups = sup.split(chunk) if sup is not None else [None] * len(targets.split(chunk))
    parts = []
    for hc, tc, sc in zip(h.split(chunk), targets.split(chunk), sups):
        parts.append(checkpoint(_rows_logprob, head, hc, tc, sc, use_reentrant=False) if grad else _rows_logprob(head, hc, tc, sc))
    picked = torch.cat(parts)
    rows = torch.zeros(B * (T - 1), dtype=torch.float32, device=hidden.device).index_put((flat,), picked)
    return torch.cat([out[:, :1], rows.view(B, T - 1)], dim=1)
