"""learnerStep on a tiny random Llama on CPU: direction of the update, the canvas mask, idempotency,
resume after a crash, the schedule."""

import pytest
import torch
from flowsteer_learner import learner as learner_mod
from flowsteer_learner.config import Hyperparameters, lr_at
from flowsteer_learner.model import LearnerError
from helpers import learn, make_sample, masked_logprob, step_input, write_batch
from safetensors.torch import load_file
from transformers import AutoTokenizer

PROMPT = "Solve the problem step by step."
GOOD = "<action>add</action><operator>Programmer</operator>"
BAD = "Feedback: workflow has 3 operators"
FEEDBACK = " the canvas executed node_1 and returned 42"


@pytest.fixture(scope="module")
def tok(tiny_model_dir):
    return AutoTokenizer.from_pretrained(str(tiny_model_dir), local_files_only=True)


def adapter_weights(result):
    return load_file(f"{result['adapterPath']}/adapter_model.safetensors")


def test_one_step_raises_positive_and_lowers_negative(tiny_model_dir, tok, tmp_path):
    pos = make_sample(tok, PROMPT, GOOD, FEEDBACK, +1.0, "pos")
    neg = make_sample(tok, PROMPT, BAD, FEEDBACK, -1.0, "neg")
    batch = write_batch(tmp_path / "batch.json", [pos, neg])
    before = (masked_logprob(tiny_model_dir, pos), masked_logprob(tiny_model_dir, neg))
    out = learn(step_input(tiny_model_dir, tmp_path / "art", "dir", 1, batch))
    after = (masked_logprob(tiny_model_dir, pos, out["adapterPath"]), masked_logprob(tiny_model_dir, neg, out["adapterPath"]))
    assert after[0] > before[0] + 1e-3, (before, after)
    assert after[1] < before[1] - 1e-3, (before, after)
    m = out["metrics"]
    assert out["reused"] is False and out["policyVersion"] == "dir-step-1"
    assert m["maskedTokens"] == sum(pos["mask"]) + sum(neg["mask"])
    assert m["tokens"] == len(pos["tokenIds"]) + len(neg["tokenIds"])
    assert m["gradNorm"] > 0 and m["tokensPerSecond"] > 0 and m["lr"] == pytest.approx(5e-3)
    assert m["kl"] == pytest.approx(0.0, abs=1e-6)  # a fresh adapter (B = 0) is the reference model
    assert m["clippedFraction"] == 0.0


def test_mask_excludes_feedback_tokens(tiny_model_dir, tok, tmp_path):
    """Old log-probs under mask 0 (feedback and prompt tokens) do not change the update; a feedback
    token is never counted."""
    base = make_sample(tok, PROMPT, GOOD, FEEDBACK, +1.0, "a")
    n = len(base["tokenIds"])
    olp = [(-0.7 if m else None) for m in base["mask"]]
    a = dict(base, oldLogprobs=olp, hasOldLogprobs=True)
    b = dict(base, oldLogprobs=[(-0.7 if m else -123.0) for m in base["mask"]], hasOldLogprobs=True)
    other = make_sample(tok, PROMPT, BAD, FEEDBACK, -0.5, "b")
    ra = learn(step_input(tiny_model_dir, tmp_path / "A", "m", 1, write_batch(tmp_path / "a.json", [a, other])))
    rb = learn(step_input(tiny_model_dir, tmp_path / "B", "m", 1, write_batch(tmp_path / "b.json", [b, other])))
    wa, wb = adapter_weights(ra), adapter_weights(rb)
    assert wa.keys() == wb.keys()
    for k in wa:
        assert torch.equal(wa[k], wb[k]), k
    assert ra["metrics"]["maskedTokens"] == sum(base["mask"]) + sum(other["mask"]) < n + len(other["tokenIds"])
    # ...while changing an old log-prob under mask 1 does change it.
    c = dict(base, oldLogprobs=[(-0.7 if m else None) for m in base["mask"]][:-len(tok.encode(FEEDBACK))] + [None] * len(tok.encode(FEEDBACK)), hasOldLogprobs=True)
    c["oldLogprobs"][len(tok.encode(PROMPT)) + 1] = -0.1
    rc = learn(step_input(tiny_model_dir, tmp_path / "C", "m", 1, write_batch(tmp_path / "c.json", [c, other])))
    wc = adapter_weights(rc)
    assert any(not torch.equal(wa[k], wc[k]) for k in wa)


def test_same_run_and_step_is_not_trained_twice(tiny_model_dir, tok, tmp_path, monkeypatch):
    batch = write_batch(tmp_path / "batch.json", [make_sample(tok, PROMPT, GOOD, FEEDBACK, 1.0, "x")])
    inp = step_input(tiny_model_dir, tmp_path / "art", "idem", 1, batch)
    first = learn(inp)
    mtime = (tmp_path / "art/runs/idem/step-1/checkpoint.json").stat().st_mtime_ns

    def boom(*a, **k):
        raise AssertionError("trained again")

    monkeypatch.setattr(learner_mod, "_train_and_save", boom)
    second = learn(inp)
    assert second["reused"] is True
    assert {k: v for k, v in second.items() if k != "reused"} == {k: v for k, v in first.items() if k != "reused"}
    assert (tmp_path / "art/runs/idem/step-1/checkpoint.json").stat().st_mtime_ns == mtime
    layout = sorted(p.name for p in (tmp_path / "art/runs/idem/step-1").iterdir())
    assert layout == ["adapter", "checkpoint.json", "optimizer.pt", "rng.pt", "scheduler.json"]


def test_resume_after_crash_gives_the_uninterrupted_result(tiny_model_dir, tok, tmp_path):
    samples = [make_sample(tok, PROMPT, GOOD, FEEDBACK, 1.0, "p"), make_sample(tok, PROMPT, BAD, FEEDBACK, -1.0, "n"),
               make_sample(tok, "What is 2 + 2?", "The answer is 7.", " Feedback: add a checker.", 0.3, "q")]
    batch = write_batch(tmp_path / "batch.json", samples)
    kw = dict(microBatchSize=1, lora={"r": 8, "alpha": 16, "dropout": 0.1})  # dropout: the RNG state matters

    # Uninterrupted reference: steps 1 and 2.
    ref_art = tmp_path / "ref"
    learn(step_input(tiny_model_dir, ref_art, "r", 1, batch, **kw))
    ref2 = learn(step_input(tiny_model_dir, ref_art, "r", 2, batch, **kw))

    # Same run, killed in step 2 after its first micro-batch.
    art = tmp_path / "crash"
    learn(step_input(tiny_model_dir, art, "r", 1, batch, **kw))
    beats = []

    def die(details):
        beats.append(details)
        if details.get("microBatch") == 1:
            raise KeyboardInterrupt("simulated kill")

    with pytest.raises(KeyboardInterrupt):
        learn(step_input(tiny_model_dir, art, "r", 2, batch, **kw), progress=die)
    assert not (art / "runs/r/step-2").exists()
    (art / "runs/r/.step-2.tmp-999-dead").mkdir()  # what a kill during the save leaves behind
    beats.clear()
    out = learn(step_input(tiny_model_dir, art, "r", 2, batch, **kw), progress=beats.append)
    assert [b["microBatch"] for b in beats if b.get("phase") == "training"] == [1, 2, 3]
    assert out["reused"] is False and out["startCheckpoint"].endswith("runs/r/step-1")
    assert not list((art / "runs/r").glob(".step-2.tmp-*"))
    w, wref = adapter_weights(out), adapter_weights(ref2)
    for k in wref:
        assert torch.allclose(w[k], wref[k], atol=1e-7), k
    assert out["metrics"]["loss"] == pytest.approx(ref2["metrics"]["loss"], abs=1e-7)
    # The optimiser state carried over: step 2's Adam step count is 2.
    opt = torch.load(art / "runs/r/step-2/optimizer.pt", weights_only=True)
    assert all(int(s["step"]) == 2 for s in opt["state"].values())


def test_reinforce_variant_and_schedule(tiny_model_dir, tok, tmp_path):
    batch = write_batch(tmp_path / "batch.json", [make_sample(tok, PROMPT, GOOD, FEEDBACK, 1.0, "x"), make_sample(tok, PROMPT, BAD, FEEDBACK, 2.0, "y")])
    out = learn(step_input(tiny_model_dir, tmp_path / "art", "rf", 1, batch, loss="reinforce", schedule="cosine", warmupSteps=10, maxSteps=300))
    assert out["metrics"]["lr"] == pytest.approx(5e-4)
    assert out["metrics"]["loss"] > 0  # reference form: sum over trajectories of -A * mean log pi, A > 0
    hp = Hyperparameters(learning_rate=1e-5, warmup_steps=10, max_steps=300)
    assert lr_at(hp, 1) == pytest.approx(1e-6) and lr_at(hp, 10) == pytest.approx(1e-5)
    assert lr_at(hp, 155) == pytest.approx(5e-6) and lr_at(hp, 300) == pytest.approx(0.0, abs=1e-12)
    assert lr_at(Hyperparameters(learning_rate=1e-5, warmup_steps=2, schedule="constant"), 200) == 1e-5


def test_bad_inputs_say_what_to_pass(tiny_model_dir, tmp_path):
    with pytest.raises(LearnerError, match="batch file"):
        learn(step_input(tiny_model_dir, tmp_path, "bad", 1, tmp_path / "missing.json"))
    with pytest.raises(LearnerError, match="unknown key"):
        learn({**step_input(tiny_model_dir, tmp_path, "bad", 1, tmp_path / "x.json"), "stpe": 2})
    with pytest.raises(LearnerError, match="step"):
        learn(step_input(tiny_model_dir, tmp_path, "bad", 0, tmp_path / "x.json"))
    with pytest.raises(LearnerError, match="not found"):
        learn({**step_input(tiny_model_dir, tmp_path, "bad", 1, tmp_path / "x.json"), "baseModel": "HuggingFaceTB/SmolLM2-135M"})
