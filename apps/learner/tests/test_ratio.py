"""The importance ratio, the clip, truncated IS and the sampler–learner mismatch: hand-computed
cases on the loss, and learner steps where the ratio leaves 1 and the clip provably acts."""
import math

import pytest
import torch
from flowsteer_learner.config import Hyperparameters
from flowsteer_learner.loss import cwrpo_trajectory_loss, sampler_mismatch, truncated_is_weights
from flowsteer_learner.model import LearnerError
from helpers import learn, make_sample, step_input, write_batch
from safetensors.torch import load_file
from transformers import AutoTokenizer

PROMPT = "Solve the problem step by step."
GOOD = "<action>add</action><operator>Programmer</operator>"
BAD = "Feedback: workflow has 3 operators"
FEEDBACK = " the canvas executed node_1 and returned 42"


def t(x, grad=False):
    return torch.tensor(x, dtype=torch.float64, requires_grad=grad)


def test_ratio_and_clip_by_hand():
    # tokens: r = e^0.5 = 1.6487 (clipped to 1.2), r = 1, r = e^-1 = 0.3679 (A > 0: min keeps r A)
    new = t([math.log(0.5) + 0.5, math.log(0.4), math.log(0.3) - 1.0], grad=True)
    old = t([math.log(0.5), math.log(0.4), math.log(0.3)])
    terms = cwrpo_trajectory_loss(new[None], old[None], t([[1, 1, 1]]), t([2.0]), None, 0.2, 0.0)
    expected = (1.2 * 2 + 1.0 * 2 + math.exp(-1) * 2) / 3
    assert float(terms.surrogate) == pytest.approx(expected, rel=1e-12)
    assert float(terms.clipped_tokens) == 2  # 1.6487 > 1.2 and 0.3679 < 0.8 are outside the range
    assert float(terms.ratio_sum) == pytest.approx(math.exp(0.5) + 1 + math.exp(-1), rel=1e-12)
    assert float(terms.ratio_max) == pytest.approx(math.exp(0.5), rel=1e-12)
    terms.loss.sum().backward()
    # the clipped token (r > 1 + eps with A > 0) gets no gradient; the others get -A r / n
    assert new.grad.tolist() == pytest.approx([0.0, -2.0 / 3, -2.0 * math.exp(-1) / 3], rel=1e-12)


def test_truncated_is_weights_by_hand():
    learner_old = t([[-1.0, -1.0, -2.0]])
    sampler = t([[-1.5, -0.5, -9.0]])
    valid = torch.tensor([[True, True, False]])
    w = truncated_is_weights(learner_old, sampler, valid, cap=1.5)
    assert w[0].tolist() == pytest.approx([1.5, math.exp(-0.5), 1.0])  # e^0.5 = 1.65 capped; invalid -> 1
    new = t([[-1.0, -1.0, -2.0]], grad=True)
    terms = cwrpo_trajectory_loss(new, learner_old, t([[1, 1, 1]]), t([1.0]), None, 0.2, 0.0, is_weights=w)
    assert float(terms.surrogate) == pytest.approx((1.5 + math.exp(-0.5) + 1.0) / 3)


def test_sampler_mismatch_by_hand():
    learner = t([[-1.0, -2.0, -3.0]])
    sampler = t([[-1.5, -2.0, -100.0]])
    abs_sum, k3_sum, n = sampler_mismatch(learner, sampler, torch.tensor([[True, True, False]]))
    assert n == 2 and abs_sum == pytest.approx(0.5)
    assert k3_sum == pytest.approx(math.exp(0.5) - 0.5 - 1.0)


def test_tis_needs_recompute():
    with pytest.raises(LearnerError, match="tisCap needs"):
        Hyperparameters.from_json({"tisCap": 2.0})
    with pytest.raises(LearnerError, match="ppoEpochs"):
        Hyperparameters.from_json({"ppoEpochs": 0})


@pytest.fixture(scope="module")
def tok(tiny_model_dir):
    return AutoTokenizer.from_pretrained(str(tiny_model_dir), local_files_only=True)


def _token_logprobs(model_dir, sample):
    """The base model's log-prob of each token (index-aligned with tokenIds; position 0 gets 0)."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(model_dir), local_files_only=True).eval()
    ids = torch.tensor([sample["tokenIds"]])
    with torch.no_grad():
        lp = torch.log_softmax(model(input_ids=ids).logits[0, :-1].float(), -1).gather(-1, ids[0, 1:, None]).squeeze(-1)
    return [0.0] + lp.tolist()


def test_mismatch_is_measured_at_step_start(tiny_model_dir, tok, tmp_path):
    s = make_sample(tok, PROMPT, GOOD, FEEDBACK, 1.0, "a")
    exact = _token_logprobs(tiny_model_dir, s)
    same = dict(s, oldLogprobs=[lp if m else None for lp, m in zip(exact, s["mask"])])
    off = dict(s, oldLogprobs=[lp - 0.5 if m else None for lp, m in zip(exact, s["mask"])])
    m0 = learn(step_input(tiny_model_dir, tmp_path / "a", "mm", 1, write_batch(tmp_path / "a.json", [same])))["metrics"]
    m1 = learn(step_input(tiny_model_dir, tmp_path / "b", "mm", 1, write_batch(tmp_path / "b.json", [off])))["metrics"]
    assert m0["samplerTokens"] == m1["samplerTokens"] == sum(s["mask"])
    assert m0["samplerLogprobAbsDiff"] == pytest.approx(0.0, abs=1e-5) and m0["samplerKlK3"] == pytest.approx(0.0, abs=1e-6)
    assert m1["samplerLogprobAbsDiff"] == pytest.approx(0.5, abs=1e-5)
    assert m1["samplerKlK3"] == pytest.approx(math.exp(0.5) - 0.5 - 1.0, abs=1e-5)  # Δ = learner − sampler = +0.5
    # the learner's ratio is exp(+0.5) = 1.65 against the sampler: every trained token clipped
    assert m1["ratioMean"] == pytest.approx(math.exp(0.5), rel=1e-4) and m1["clippedFraction"] == 1.0


def test_a_fully_clipped_batch_does_not_move_the_policy(tiny_model_dir, tok, tmp_path):
    """A > 0 and r = e^0.5 > 1 + eps on every trained token: the clipped surrogate is constant, so its
    gradient is 0 and the adapter stays what it was (no weight decay, no KL)."""
    s = make_sample(tok, PROMPT, GOOD, FEEDBACK, 1.0, "a")
    exact = _token_logprobs(tiny_model_dir, s)
    off = dict(s, oldLogprobs=[lp - 0.5 if m else None for lp, m in zip(exact, s["mask"])])
    kw = dict(klBeta=0.0, weightDecay=0.0, lora={"r": 8, "alpha": 16, "dropout": 0.0})
    clipped = learn(step_input(tiny_model_dir, tmp_path / "c", "clip", 1, write_batch(tmp_path / "c.json", [off]), **kw))
    free = learn(step_input(tiny_model_dir, tmp_path / "f", "clip", 1, write_batch(tmp_path / "f.json", [s]), **kw))
    assert clipped["metrics"]["clippedFraction"] == 1.0 and clipped["metrics"]["gradNorm"] == 0.0
    assert free["metrics"]["gradNorm"] > 0
    wc, wf = load_file(f"{clipped['adapterPath']}/adapter_model.safetensors"), load_file(f"{free['adapterPath']}/adapter_model.safetensors")
    lora_b = [k for k in wc if "lora_B" in k]
    assert lora_b and all(torch.count_nonzero(wc[k]) == 0 for k in lora_b)  # B stayed at its init, 0
    assert any(torch.count_nonzero(wf[k]) > 0 for k in lora_b)


def test_two_epochs_move_the_ratio_and_clip(tiny_model_dir, tok, tmp_path):
    samples = [make_sample(tok, PROMPT, GOOD, FEEDBACK, 1.0, "p"), make_sample(tok, PROMPT, BAD, FEEDBACK, -1.0, "n"),
               make_sample(tok, "What is 2 + 2?", "The answer is 7.", " Feedback: add a checker.", 0.5, "q"),
               make_sample(tok, "What is 2 + 2?", "Plan -> Programmer", " ok", -0.5, "r")]
    batch = write_batch(tmp_path / "b.json", samples)
    kw = dict(oldLogprobs="recompute", clipEpsilon=0.05, learningRate=2e-2, klBeta=0.0, lora={"r": 8, "alpha": 16, "dropout": 0.0})
    one = learn(step_input(tiny_model_dir, tmp_path / "one", "e", 1, batch, **kw))["metrics"]
    two = learn(step_input(tiny_model_dir, tmp_path / "two", "e", 1, batch, ppoEpochs=2, miniBatchSize=2, **kw))["metrics"]
    # one update on the whole batch: it is taken at the weights the ratio is against
    assert one["optimizerSteps"] == 1 and one["ratioMax"] == pytest.approx(1.0, abs=1e-5) and one["clippedFraction"] == 0.0
    # two epochs of two mini-batches: four updates, the later ones off the old policy
    assert two["optimizerSteps"] == 4 and two["ppoEpochs"] == 2
    assert two["ratioMax"] > 1.05 and two["clippedFraction"] > 0.0
    assert two["samplerTokens"] == 0  # these samples carry no sampler log-probs


def test_a_trajectory_in_per_turn_samples_is_one_trajectory_in_the_loss(tiny_model_dir, tok, tmp_path):
    """Exact sampled ids give one sample per director turn; samples sharing a trajectoryId are averaged
    over the trajectory's tokens, so splitting a trajectory's mask over two samples changes nothing."""
    whole = make_sample(tok, PROMPT, GOOD, FEEDBACK, 1.0, "t")
    other = make_sample(tok, PROMPT, BAD, FEEDBACK, -1.0, "u")
    on = [i for i, m in enumerate(whole["mask"]) if m]
    half = on[: len(on) // 2]
    first = dict(whole, mask=[1 if i in half else 0 for i in range(len(whole["mask"]))])
    second = dict(whole, mask=[1 if (m and i not in half) else 0 for i, m in enumerate(whole["mask"])])
    kw = dict(lora={"r": 8, "alpha": 16, "dropout": 0.0}, microBatchSize=1)
    a = learn(step_input(tiny_model_dir, tmp_path / "a", "split", 1, write_batch(tmp_path / "a.json", [whole, other]), **kw))
    b = learn(step_input(tiny_model_dir, tmp_path / "b", "split", 1, write_batch(tmp_path / "b.json", [first, other, second]), **kw))
    assert b["metrics"]["trajectories"] == 2 and b["metrics"]["samples"] == 3
    assert b["metrics"]["loss"] == pytest.approx(a["metrics"]["loss"], abs=1e-6)
    wa = load_file(f"{a['adapterPath']}/adapter_model.safetensors")
    wb = load_file(f"{b['adapterPath']}/adapter_model.safetensors")
    for k in wa:
        assert torch.allclose(wa[k], wb[k], atol=1e-6), k
    # …while as two trajectories of their own the step differs
    c = learn(step_input(tiny_model_dir, tmp_path / "c", "split", 1, write_batch(tmp_path / "c.json", [first, other, dict(second, trajectoryId="t2")]), **kw))
    assert c["metrics"]["trajectories"] == 3 and c["metrics"]["loss"] != pytest.approx(a["metrics"]["loss"], abs=1e-6)
