"""The learner as a trust boundary (issue 13): it opens only files inside its own artifact root and
never unpickles code. A start checkpoint, batch path or artifact folder named by a caller that leaves
the root is refused; a planted pickle in a checkpoint inside the root is refused, not run."""
import os
import pickle
import re
from pathlib import Path

import pytest
from flowsteer_learner.model import LearnerError
from helpers import learn, make_sample, step_input, write_batch
from transformers import AutoTokenizer

PACKAGE = Path(__file__).resolve().parents[1]


class Planted:
    """Unpickling this runs `os.system`: what a malicious optimizer.pt would carry."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture(scope="module")
def batch(tiny_model_dir, tmp_path_factory):
    tok = AutoTokenizer.from_pretrained(str(tiny_model_dir), local_files_only=True)
    return write_batch(tmp_path_factory.mktemp("b") / "batch.json", [make_sample(tok, "Solve.", "<action>add</action>", " ok", 1.0, "a")])


def test_a_start_checkpoint_outside_the_root_is_refused(tiny_model_dir, batch, tmp_path):
    root, outside = tmp_path / "root", tmp_path / "elsewhere"
    outside.mkdir()
    marker = tmp_path / "ran"
    (outside / "optimizer.pt").write_bytes(pickle.dumps(Planted(marker)))
    (root / "runs").mkdir(parents=True)
    (root / "runs" / "link").symlink_to(outside)
    for ref in (str(outside), "../elsewhere", "runs/link", "runs/../../elsewhere"):
        with pytest.raises(LearnerError, match="outside the learner's artifact root"):
            learn({**step_input(tiny_model_dir, root, "t", 1, batch), "startCheckpoint": ref})
    assert not marker.exists()


def test_a_batch_outside_the_root_is_refused(tiny_model_dir, batch, tmp_path):
    with pytest.raises(LearnerError, match="outside the learner's artifact root"):
        learn({**step_input(tiny_model_dir, tmp_path / "root", "t", 1, batch), "batchPath": str(batch)})


def test_a_planted_pickle_inside_the_root_is_not_run(tiny_model_dir, batch, tmp_path):
    root = tmp_path / "root"
    first = learn(step_input(tiny_model_dir, root, "p", 1, batch))
    marker = tmp_path / "ran"
    for name in ("optimizer.pt", "rng.pt"):
        start = root / "runs" / "planted" / name.split(".")[0]
        start.mkdir(parents=True)
        for f in Path(first["checkpointPath"]).iterdir():
            if f.is_dir():
                (start / f.name).symlink_to(f)
            else:
                (start / f.name).write_bytes(f.read_bytes())
        (start / name).write_bytes(pickle.dumps(Planted(marker)))
        with pytest.raises(LearnerError, match="refused to unpickle"):
            learn({**step_input(tiny_model_dir, root, f"q{name[0]}", 1, batch), "startCheckpoint": str(start)})
        assert not marker.exists()


def test_the_checkpoint_the_learner_writes_loads_as_plain_tensors(tiny_model_dir, batch, tmp_path):
    root = tmp_path / "root"
    learn(step_input(tiny_model_dir, root, "w", 1, batch))
    out = learn(step_input(tiny_model_dir, root, "w", 2, batch))  # resumes from step 1 with weights_only=True
    assert out["startCheckpoint"].endswith("runs/w/step-1")


def test_no_weights_only_false_in_the_learner():
    pattern = re.compile(r"weights_only\s*=\s*False")
    offenders = [str(p) for p in PACKAGE.rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []
