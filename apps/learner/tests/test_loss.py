"""The torch loss reproduces libs/cwrpo/test-vectors/cwrpo-loss.json (computed by the TypeScript code)."""
import json
from pathlib import Path

import pytest
import torch
from flowsteer_learner.loss import (
    clipped_surrogate,
    cwrpo_trajectory_loss,
    k3_kl,
    reinforce_trajectory_loss,
    sequence_logprobs,
    token_ratio,
)

VECTORS = json.loads((Path(__file__).resolve().parents[3] / "libs/cwrpo/test-vectors/cwrpo-loss.json").read_text())
TOL = VECTORS["tolerance"]


def t(x):
    return torch.tensor(x, dtype=torch.float64)


def close(a, b):
    assert abs(float(a) - float(b)) <= TOL * max(1.0, abs(float(b))), (float(a), float(b))


@pytest.mark.parametrize("case", VECTORS["trajectories"], ids=[c["name"] for c in VECTORS["trajectories"]])
def test_trajectory_vectors(case):
    inp, exp, opt = case["input"], case["expected"], case["options"]
    new, old, mask = t(inp["newLogprobs"]), t(inp["oldLogprobs"]), t(inp["mask"])
    ref = t(inp["refLogprobs"]) if inp.get("refLogprobs") is not None else None
    ratio = token_ratio(new, old)
    for a, b in zip(ratio, exp["tokenRatio"]):
        close(a, b)
    for a, b in zip(clipped_surrogate(ratio, t(inp["advantage"]), opt["clipEpsilon"]), exp["tokenSurrogate"]):
        close(a, b)
    k3 = k3_kl(new, ref) if ref is not None else torch.zeros_like(new)
    for a, b in zip(k3, exp["tokenK3"]):
        close(a, b)
    terms = cwrpo_trajectory_loss(new, old, mask, t(inp["advantage"]), ref, opt["clipEpsilon"], opt["klBeta"])
    close(terms.surrogate[0], exp["surrogate"])
    close(terms.kl[0], exp["kl"])
    close(terms.loss[0], exp["loss"])
    assert int(terms.masked_tokens[0]) == exp["maskedTokens"]
    close(terms.clipped_fraction[0], exp["clippedFraction"])
    close(reinforce_trajectory_loss(new, mask, t(inp["advantage"])).loss[0], exp["reinforceLoss"])


@pytest.mark.parametrize("batch", VECTORS["batches"], ids=[b["name"] for b in VECTORS["batches"]])
def test_batch_vectors_padded(batch):
    """The same numbers from one padded [B, T] batch (padding carries mask 0), mean over trajectories."""
    by_name = {c["name"]: c["input"] for c in VECTORS["trajectories"]}
    rows = [by_name[n] for n in batch["trajectoryNames"]]
    T = max(len(r["mask"]) for r in rows)

    def pad(key, fill):
        return t([r[key] + [fill] * (T - len(r[key])) for r in rows])

    ref = pad("refLogprobs", float("nan"))  # padding must not leak even when non-finite
    terms = cwrpo_trajectory_loss(pad("newLogprobs", 0.0), pad("oldLogprobs", float("nan")), pad("mask", 0), t([r["advantage"] for r in rows]), ref, batch["options"]["clipEpsilon"], batch["options"]["klBeta"])
    close(terms.loss.mean(), batch["expected"]["loss"])


def test_gradient_ignores_unmasked_positions():
    new = torch.tensor([[-1.0, -0.5, -2.0, -0.1]], requires_grad=True)
    terms = cwrpo_trajectory_loss(new, torch.tensor([[-9.0, -0.45, -2.0, -0.2]]), torch.tensor([[0, 1, 1, 1]]), torch.tensor([1.5]), torch.tensor([[-7.0, -0.5, -1.8, -0.25]]))
    terms.loss.sum().backward()
    assert new.grad[0, 0] == 0 and torch.all(new.grad[0, 1:] != 0)


def test_sequence_logprobs_alignment():
    torch.manual_seed(0)
    logits = torch.randn(1, 4, 7)
    ids = torch.tensor([[3, 1, 6, 2]])
    lp = sequence_logprobs(logits, ids)
    assert lp.shape == (1, 4) and lp[0, 0] == 0
    for pos in range(1, 4):
        assert torch.isclose(lp[0, pos], torch.log_softmax(logits[0, pos - 1], -1)[ids[0, pos]])
