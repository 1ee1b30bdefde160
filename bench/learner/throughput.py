"""Learner throughput: tokens/s of one learnerStep on this machine (CPU unless CUDA is present).

    .venv/bin/python bench/learner/throughput.py [--samples 8] [--tokens 256] [--steps 3] [--gguf PATH]

Runs `--steps` learner steps on synthetic TrainingSamples (random token ids, director mask on about
half the tokens, alternating advantages) with (1) a tiny random Llama built in code and (2) the
embedded SmolLM2-135M GGUF (dequantised to float32) when the file exists. Reports per-step tokens/s
(forward + reference forward + backward + optimiser step; model loading excluded).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "apps/learner"))
sys.path.insert(0, str(ROOT / "apps/learner/tests"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402

from flowsteer_learner.learner import run_learner_step  # noqa: E402
from tiny_model import build_tiny_model  # noqa: E402


def synthetic_batch(path: Path, n: int, length: int, vocab: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    samples = []
    for i in range(n):
        ids = [rng.randrange(3, vocab) for _ in range(length)]
        # prompt (0), then alternating director (1) / feedback (0) spans
        mask, t, director = [], 0, False
        while t < length:
            span = min(length - t, rng.randint(8, 40))
            mask += [1 if director else 0] * span
            t += span
            director = not director
        samples.append({"trajectoryId": f"t{i}", "groupKey": "g", "policyVersion": "base", "tokenIds": ids, "mask": mask,
                        "oldLogprobs": [None] * length, "hasOldLogprobs": False, "advantage": 1.0 if i % 2 == 0 else -1.0, "reward": 0.0, "truncatedTokens": 0})
    path.write_text(json.dumps(samples))
    return path


def bench(name: str, model_ref: str, vocab: int, args, work: Path) -> dict:
    batch = synthetic_batch(work / f"{name}.json", args.samples, args.tokens, vocab)
    rows = []
    for step in range(1, args.steps + 1):
        out = run_learner_step({
            "runId": f"bench-{name}", "step": step, "baseModel": model_ref, "batchPath": str(batch), "artifactsDir": str(work / "artifacts"),
            "hyperparameters": {"learningRate": 1e-5, "warmupSteps": 0, "schedule": "constant", "microBatchSize": args.micro_batch,
                                "lora": {"r": args.lora_r, "alpha": args.lora_r, "dropout": 0.05}},
        })
        m = out["metrics"]
        rows.append(m)
        print(f"{name:10s} step {step}: {m['tokens']} tokens in {m['trainSeconds']:.2f}s = {m['tokensPerSecond']:.0f} tokens/s (load {m['loadSeconds']:.1f}s, loss {m['loss']:.4f}, grad norm {m['gradNorm']:.3f})", flush=True)
    steady = rows[1:] or rows
    tps = sum(r["tokensPerSecond"] for r in steady) / len(steady)
    return {"model": name, "tokensPerStep": rows[0]["tokens"], "tokensPerSecond": round(tps, 1), "firstStepTokensPerSecond": round(rows[0]["tokensPerSecond"], 1), "firstLoadSeconds": round(rows[0]["loadSeconds"], 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--tokens", type=int, default=256)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--micro-batch", type=int, default=4)
    ap.add_argument("--lora-r", type=int, default=64)
    ap.add_argument("--gguf", default=str(ROOT / ".flowsteer/models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    ap.add_argument("--skip-gguf", action="store_true")
    args = ap.parse_args()
    print(f"host: {platform.platform()}, {os.cpu_count()} CPUs, torch {torch.__version__} ({torch.get_num_threads()} threads), cuda={torch.cuda.is_available()}")
    print(f"batch: {args.samples} samples x {args.tokens} tokens, micro-batch {args.micro_batch}, LoRA r={args.lora_r} on q/k/v/o, KL beta 0.005 (reference forward included)")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tiny = build_tiny_model(work / "tiny")
        results.append(bench("tiny", str(tiny), 512, args, work))
        if not args.skip_gguf and Path(args.gguf).exists():
            results.append(bench("smollm2", args.gguf, 49152, args, work))
        elif not args.skip_gguf:
            print(f"(no {args.gguf}: run `bash libs/llm/setup/fetch-model.sh` to include SmolLM2)")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
