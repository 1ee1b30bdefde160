"""Where the embedded sampler's log-probs and the learner's differ, by kind of director turn.

Reads a training batch written by `buildTrainingBatch` (one sample per director turn, with the
sampler's log-probs of the completion tokens) whose rollouts sampled from the BASE weights (step 1
of a run), scores the same token ids with the learner's base model (the GGUF dequantised to
float32, no adapter), and reports mean |Δ log p|, k3 KL and the ratio per kind of turn:

- action turns: the completion starts with "<action>", decoded under the canvas grammar;
- prompt turns: free text (the node prompt the director writes), no grammar.

The two kinds share the Q4 kernels against float32 weights; only action turns are grammar-
constrained. A mismatch much larger on action turns points at the grammar (probabilities
renormalised over the allowed tokens, reported as such), one equal on both at the numerics.

    .venv/bin/python bench/learner/sampler_mismatch.py .flowsteer/artifacts/runs/<run>/batches/step-1.json \
        [--model .flowsteer/models/SmolLM2-135M-Instruct.Q4_1.gguf]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "apps" / "learner"))
from flowsteer_learner.logprobs import policy_logprobs  # noqa: E402
from flowsteer_learner.model import load_base_model, load_tokenizer  # noqa: E402
from flowsteer_learner.samples import collate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("batch")
    ap.add_argument("--model", default=".flowsteer/models/SmolLM2-135M-Instruct.Q4_1.gguf")
    args = ap.parse_args()
    batch = json.loads(Path(args.batch).read_text())
    torch.set_num_threads(1)
    model = load_base_model(args.model, "float32", torch.device("cpu")).eval()
    tok = load_tokenizer(args.model)
    stats: dict[str, dict[str, list[float]]] = {}
    with torch.no_grad():
        for s in batch["samples"]:
            if not s.get("hasOldLogprobs"):
                continue
            ids = torch.tensor([s["tokenIds"]])
            mask = torch.tensor([s["mask"]])
            support = collate([s], pad_id=0, vocab_size=model.config.vocab_size, device=torch.device("cpu")).get("support")
            # scored as the learner scores it: over the sampler's support where the batch records one
            lp = policy_logprobs(model, ids, torch.ones_like(ids), need=mask, support=support)[0]
            pos = [i for i, m in enumerate(s["mask"]) if m]
            completion = tok.decode([s["tokenIds"][i] for i in pos])
            kind = "action" if completion.lstrip().startswith("<action>") else "prompt"
            d = stats.setdefault(kind, {"diff": [], "k3": [], "ratio": [], "first": []})
            for j, i in enumerate(pos):
                old = s["oldLogprobs"][i]
                new = float(lp[i])
                delta = old - new  # log(pi_sampler / pi_learner)
                d["diff"].append(abs(delta))
                d["k3"].append(math.exp(-delta) - 1 + delta)  # k3 estimate of KL(sampler || learner)
                d["ratio"].append(math.exp(-delta))
                if j == 0:
                    d["first"].append(abs(delta))
    print(f"batch {args.batch}: {len(batch['samples'])} samples")
    print("| turn kind | tokens | mean abs dlogp | k3 KL | ratio mean (learner/sampler) | mean abs dlogp, first token |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, d in sorted(stats.items()):
        n = len(d["diff"])
        mean = lambda xs: sum(xs) / max(1, len(xs))  # noqa: E731
        print(f"| {kind} | {n} | {mean(d['diff']):.3f} | {mean(d['k3']):.3f} | {mean(d['ratio']):.3f} | {mean(d['first']):.3f} |")


if __name__ == "__main__":
    main()
