"""Micro-batches of similar length: the plan's invariants on random batches, the padding it saves,
and a learner step whose update does not depend on how its samples were split."""
import random
import re
from dataclasses import fields
from pathlib import Path

import pytest
import torch
from flowsteer_learner.config import Hyperparameters, _camel
from flowsteer_learner.microbatch import padded_tokens, plan_micro_batches
from flowsteer_learner.model import LearnerError
from helpers import learn, make_sample, step_input, write_batch
from safetensors.torch import load_file
from transformers import AutoTokenizer


@pytest.mark.parametrize("seed", range(200))
def test_plan_covers_every_sample_once_within_its_caps(seed):
    rng = random.Random(seed)
    n = rng.randint(0, 40)
    lengths = [rng.randint(0, 3000) for _ in range(n)]
    indices = rng.sample(range(n), rng.randint(0, n))
    rows = rng.randint(1, 8)
    cap = rng.choice([None, rng.randint(1, 8000)])
    order = rng.choice(["length", "arrival"])
    plan = plan_micro_batches(indices, lengths, rows, cap, order)
    assert sorted(i for b in plan for i in b) == sorted(indices)
    for b in plan:
        assert 1 <= len(b) <= rows
        if cap is not None and len(b) > 1:
            assert len(b) * max(max(1, lengths[i]) for i in b) <= cap
    if order == "arrival":
        assert [i for b in plan for i in b] == indices
    else:
        flat = [lengths[i] for b in plan for i in b]
        assert flat == sorted(flat, reverse=True)


@pytest.mark.parametrize("seed", range(50))
def test_length_order_never_pads_more_than_arrival(seed):
    rng = random.Random(seed)
    lengths = [rng.randint(1, 4000) for _ in range(rng.randint(1, 64))]
    idx = list(range(len(lengths)))
    rows = rng.randint(1, 8)
    assert padded_tokens(plan_micro_batches(idx, lengths, rows, None, "length"), lengths) <= \
        padded_tokens(plan_micro_batches(idx, lengths, rows, None, "arrival"), lengths)


def test_padding_by_hand():
    lengths = [100, 1000, 120, 900]
    arrival = plan_micro_batches([0, 1, 2, 3], lengths, 2, None, "arrival")
    by_length = plan_micro_batches([0, 1, 2, 3], lengths, 2, None, "length")
    assert arrival == [[0, 1], [2, 3]] and padded_tokens(arrival, lengths) == 2 * 1000 + 2 * 900
    assert by_length == [[1, 3], [2, 0]] and padded_tokens(by_length, lengths) == 2 * 1000 + 2 * 120
    # a token cap of 1,000 puts each long sample alone and the two short ones together
    assert plan_micro_batches([0, 1, 2, 3], lengths, 4, 1000) == [[1], [3], [2, 0]]


def test_settings_are_checked():
    assert Hyperparameters.from_json({"microBatchTokens": 4096, "microBatchOrder": "arrival"}).micro_batch_tokens == 4096
    with pytest.raises(LearnerError, match="microBatchTokens"):
        Hyperparameters.from_json({"microBatchTokens": 0})
    with pytest.raises(LearnerError, match="microBatchOrder"):
        Hyperparameters.from_json({"microBatchOrder": "random"})


@pytest.fixture(scope="module")
def tok(tiny_model_dir):
    return AutoTokenizer.from_pretrained(str(tiny_model_dir), local_files_only=True)


def test_the_split_does_not_change_the_update(tiny_model_dir, tok, tmp_path):
    """Samples of very different lengths, stepped in arrival order, by length, and under a token cap:
    the same loss and the same adapter; by length computes fewer padded positions."""
    long_prompt = "Solve the problem step by step and explain every step of the reasoning in detail. " * 6
    samples = [
        make_sample(tok, "Add.", "<action>add</action>", " ok", 1.0, "a"),
        make_sample(tok, long_prompt, "<action>add</action><operator>Programmer</operator>", " the canvas ran node_1", -1.0, "b"),
        make_sample(tok, "2+2?", "4", " fine", 0.5, "c"),
        make_sample(tok, long_prompt, "Plan -> Programmer -> Test", " Feedback: add a checker.", -0.5, "d"),
    ]
    kw = dict(lora={"r": 8, "alpha": 16, "dropout": 0.0}, microBatchSize=2)
    runs = {}
    for name, extra in {"arrival": {"microBatchOrder": "arrival"}, "length": {}, "capped": {"microBatchTokens": 64}}.items():
        runs[name] = learn(step_input(tiny_model_dir, tmp_path / name, "mb", 1, write_batch(tmp_path / f"{name}.json", samples), **kw, **extra))
    m = {k: r["metrics"] for k, r in runs.items()}
    assert m["length"]["paddedTokens"] < m["arrival"]["paddedTokens"]
    assert m["length"]["paddingFraction"] < m["arrival"]["paddingFraction"]
    assert m["capped"]["microBatches"] > m["length"]["microBatches"]
    weights = {k: load_file(f"{r['adapterPath']}/adapter_model.safetensors") for k, r in runs.items()}
    for name in ("length", "capped"):
        assert m[name]["loss"] == pytest.approx(m["arrival"]["loss"], abs=1e-6)
        for key, w in weights["arrival"].items():
            assert torch.allclose(weights[name][key], w, atol=1e-6), (name, key)


def test_every_hyperparameter_the_schema_allows_is_one_the_learner_takes():
    """libs/contracts' learnerHyperparametersSchema and this dataclass name the same settings: a key
    the API accepts but the learner refuses would fail a run at its first step, not at submit."""
    ts = (Path(__file__).resolve().parents[3] / "libs/contracts/src/training-config.ts").read_text()
    block = ts.split("export const learnerHyperparametersSchema")[1].split(".partial()")[0]
    schema_keys = set(re.findall(r"^\s{4}(\w+):", block, re.M))
    learner_keys = {_camel(f.name) for f in fields(Hyperparameters) if not f.name.startswith("lora_")} | {"lora"}
    assert schema_keys == learner_keys
