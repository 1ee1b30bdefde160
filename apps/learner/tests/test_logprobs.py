"""The chunked log-probs (lm_head in chunks of rows, never the full logits) equal the naive full
log_softmax, in value and in gradient, on a tiny model with a LoRA adapter."""
import pytest
import torch
from flowsteer_learner.logprobs import can_split, policy_logprobs
from flowsteer_learner.model import LoraSettings, PolicyCache, reset_adapter


@pytest.fixture(scope="module")
def model(tiny_model_dir):
    m = PolicyCache().get(str(tiny_model_dir), "float32", LoraSettings(8, 16, 0.0, ("q_proj", "v_proj")))
    reset_adapter(m, 1)
    with torch.no_grad():  # a non-zero adapter, so the adapter is on the gradient path
        for name, p in m.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.05)
    return m


def _batch():
    g = torch.Generator().manual_seed(3)
    ids = torch.randint(3, 500, (3, 23), generator=g)
    attn = torch.ones_like(ids)
    attn[1, 17:] = 0  # padding
    attn[2, 9:] = 0
    need = (torch.rand(ids.shape, generator=g) > 0.4).float() * attn
    return ids, attn, need


@pytest.mark.parametrize("chunk", [1, 5, 2048])
def test_chunked_equals_naive(model, chunk):
    assert can_split(model)
    ids, attn, need = _batch()
    model.train()
    naive = policy_logprobs(model, ids, attn, need, chunk=0)
    (naive * need).sum().backward()
    g_naive = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    model.zero_grad(set_to_none=True)
    lean = policy_logprobs(model, ids, attn, need, chunk=chunk)
    (lean * need).sum().backward()
    g_lean = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    model.zero_grad(set_to_none=True)
    sel = need.bool().clone()
    sel[:, 0] = False
    assert torch.allclose(lean[sel], naive[sel], atol=1e-5)
    assert torch.count_nonzero(lean[~sel]) == 0  # positions not needed are not computed
    for n in g_naive:
        assert torch.allclose(g_lean[n], g_naive[n], atol=1e-5, rtol=1e-4), n


def test_nothing_needed_is_zero_and_still_backpropagates(model):
    ids, attn, _ = _batch()
    out = policy_logprobs(model, ids, attn, torch.zeros_like(attn), chunk=4)
    assert torch.count_nonzero(out) == 0
    out.sum().backward()
    model.zero_grad(set_to_none=True)


def test_restricted_logprob_by_hand():
    from flowsteer_learner.logprobs import restricted_logprob

    logits = torch.tensor([[0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 2.0, 3.0]])
    targets = torch.tensor([2, 2])
    support = torch.tensor([[1, 2, -1], [-1, -1, -1]])  # row 0 chose among {1, 2}; row 1 among all
    out = restricted_logprob(logits, targets, support)
    assert out[0].item() == pytest.approx(2.0 - torch.logsumexp(torch.tensor([1.0, 2.0]), 0).item())
    assert out[1].item() == pytest.approx(torch.log_softmax(logits[1], 0)[2].item())
    # a support of one token is certainty
    assert restricted_logprob(logits[:1], targets[:1], torch.tensor([[2]])).item() == pytest.approx(0.0)


@pytest.mark.parametrize("chunk", [0, 4])
def test_support_restricts_in_both_paths_and_matches_a_renormalised_softmax(model, chunk):
    ids, attn, need = _batch()
    B, T = ids.shape
    support = torch.full((B, T, 6), -1, dtype=torch.long)
    for b in range(B):
        for t in range(1, T):
            if t % 2:  # every other position restricted to the token and 5 other (distinct) ids
                support[b, t] = (ids[b, t] + torch.arange(0, 6)) % 500
    with torch.no_grad():
        full = policy_logprobs(model, ids, attn, need, chunk=0)
        lean = policy_logprobs(model, ids, attn, need, chunk=chunk, support=support)
        logits = model(input_ids=ids, attention_mask=attn).logits.float()
    sel = need.bool().clone()
    sel[:, 0] = False
    for b in range(B):
        for t in range(1, T):
            if not sel[b, t]:
                continue
            if t % 2:
                cand = support[b, t]
                expected = logits[b, t - 1, ids[b, t]] - torch.logsumexp(logits[b, t - 1, cand], 0)
                assert lean[b, t].item() == pytest.approx(expected.item(), abs=1e-4)
                assert lean[b, t] >= full[b, t] - 1e-5  # renormalised over fewer tokens: never less likely
            else:
                assert lean[b, t].item() == pytest.approx(full[b, t].item(), abs=1e-5)
