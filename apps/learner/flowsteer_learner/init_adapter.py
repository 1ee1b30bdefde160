"""`python -m flowsteer_learner.init_adapter --model PATH --out DIR`: the run's initial LoRA adapter.

An inference server that hot-swaps the policy (vLLM `--lora-modules flowsteer-policy=DIR`) needs an
adapter before the first step. This writes the one the learner's step 1 starts from: LoRA A from the
seed, B = 0, so it serves exactly the base model's outputs. LoRA settings and seed must match the
run's `learner.lora` and `learner.seed` (defaults: r = alpha = 64, dropout 0.05, q/k/v/o, seed 42).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .model import DEFAULT_TARGET_MODULES, LoraSettings, PolicyCache, reset_adapter


def write_initial_adapter(model_ref: str, out: Path, settings: LoraSettings, seed: int = 42, dtype: str = "bfloat16") -> Path:
    model = PolicyCache().get(model_ref, dtype, settings)
    reset_adapter(model, seed)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Write the initial (B = 0) LoRA adapter of a CWRPO run")
    ap.add_argument("--model", required=True, help="the base model as the learner opens it (HF folder or .gguf)")
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--r", type=int, default=64)
    ap.add_argument("--alpha", type=int, default=64)
    ap.add_argument("--dropout", type=float, default=0.05)
    ap.add_argument("--target-modules", default=",".join(DEFAULT_TARGET_MODULES))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--dtype", default="bfloat16")
    args = ap.parse_args(argv)
    settings = LoraSettings(args.r, args.alpha, args.dropout, tuple(m for m in args.target_modules.split(",") if m))
    out = write_initial_adapter(args.model, args.out, settings, args.seed, args.dtype)
    print(f"initial adapter (B = 0, seed {args.seed}) written to {out}")


if __name__ == "__main__":
    main()
