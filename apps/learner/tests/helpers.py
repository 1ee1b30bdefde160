"""Shared helpers for learner tests: building TrainingSample JSON with the tiny model's tokeniser and
scoring a sequence under base/adapter."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Optional

import torch


def make_sample(tok, prompt: str, completion: str, feedback: str, advantage: float, tid: str, old_logprobs=None) -> dict:
    p = tok.encode(prompt, add_special_tokens=False)
    c = tok.encode(completion, add_special_tokens=False)
    f = tok.encode(feedback, add_special_tokens=False)
    ids = p + c + f
    mask = [0] * len(p) + [1] * len(c) + [0] * len(f)
    olp = old_logprobs if old_logprobs is not None else [None] * len(ids)
    return {
        "trajectoryId": tid, "groupKey": "g", "policyVersion": "base", "tokenIds": ids, "mask": mask,
        "oldLogprobs": olp, "hasOldLogprobs": all(o is not None for o, m in zip(olp, mask) if m),
        "advantage": advantage, "reward": advantage, "truncatedTokens": 0,
    }


def write_batch(path: Path, samples: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"samples": samples}))
    return path


@torch.no_grad()
def masked_logprob(model_dir: Path, sample: dict, adapter: Optional[str] = None) -> float:
    """Sum of log pi over the sample's director tokens under the base model (+ adapter)."""
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(model_dir), local_files_only=True)
    if adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter)
    model.eval()
    ids = torch.tensor([sample["tokenIds"]])
    logp = torch.log_softmax(model(input_ids=ids).logits[0, :-1].float(), -1)
    lp = logp.gather(-1, ids[0, 1:, None]).squeeze(-1)
    mask = torch.tensor(sample["mask"][1:], dtype=torch.float32)
    return float((lp * mask).sum())


def step_input(model_dir: Path, artifacts: Path, run: str, step: int, batch: Path, **hp) -> dict:
    """A learnerStep input. The batch is placed in the artifact store (as buildTrainingBatch does) and
    named relative to it; `artifactsDir` is this helper's convention for `learn`, not an input key."""
    batch = Path(batch)
    rel = f"batches/{run}-{step}-{batch.name}"
    if batch.exists():
        (artifacts / "batches").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(batch, artifacts / rel)
    hyper = {
        "learningRate": 5e-3, "warmupSteps": 0, "schedule": "constant", "microBatchSize": 2, "klBeta": 0.005,
        "lora": {"r": 8, "alpha": 16, "dropout": 0.0, "targetModules": ["q_proj", "k_proj", "v_proj", "o_proj"]},
    }
    hyper.update(hp)
    return {"runId": run, "step": step, "baseModel": str(model_dir), "batchPath": rel, "artifactsDir": str(artifacts), "hyperparameters": hyper}


def learn(inp: dict, progress=None, **kw) -> dict:
    """run_learner_step with the artifact root as the learner worker has it (its own, not the input's)."""
    from flowsteer_learner.learner import run_learner_step

    inp = dict(inp)
    root = Path(inp.pop("artifactsDir"))
    return run_learner_step(inp, progress=progress, artifacts_root=root, **kw)
