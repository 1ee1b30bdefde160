"""The sampler's support (the ids it chose each token among) travels from the batch file to the
collated tensors, and a batch whose token is outside its support is refused."""
import json

import pytest
import torch
from flowsteer_learner.config import LearnerError
from flowsteer_learner.samples import collate, load_samples


def _sample(support):
    return {"trajectoryId": "t", "tokenIds": [5, 6, 7, 8], "mask": [0, 0, 1, 1], "oldLogprobs": [None, None, -0.1, -0.2], "advantage": 1.0, "support": support}


def test_collate_pads_support_and_marks_unrestricted_rows(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(json.dumps([_sample([None, None, [7, 9], [1, 2, 8]]), {**_sample(None), "tokenIds": [5, 6, 7]} | {"mask": [0, 1, 1], "oldLogprobs": None}]))
    samples = load_samples(path)
    b = collate(samples, pad_id=0, vocab_size=100, device=torch.device("cpu"))
    assert b["support"].shape == (2, 4, 3)
    assert b["support"][0, 2].tolist() == [7, 9, -1]
    assert b["support"][0, 3].tolist() == [1, 2, 8]
    assert (b["support"][0, :2] == -1).all() and (b["support"][1] == -1).all()


def test_no_support_no_tensor(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(json.dumps([_sample(None)]))
    assert "support" not in collate(load_samples(path), pad_id=0, vocab_size=100, device=torch.device("cpu"))


@pytest.mark.parametrize("support, message", [([None, None, [9], [8]], "not in the set"), ([None, [7]], "one entry per token")])
def test_a_token_outside_its_support_or_a_misaligned_support_is_refused(tmp_path, support, message):
    path = tmp_path / "b.json"
    path.write_text(json.dumps([_sample(support)]))
    with pytest.raises(LearnerError, match=message):
        load_samples(path)
