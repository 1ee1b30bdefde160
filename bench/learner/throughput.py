"""Learner throughput and peak memory at a representative shape, against a bare PEFT loop.

    .venv/bin/python bench/learner/throughput.py [--shape qwen3-8b|small] [--model HF_FOLDER]
        [--micro-batch 4] [--tokens 8192] [--samples 8] [--steps 3] [--variants learner,learner-naive,peft]
        [--lengths fixed|mixed] [--micro-batch-tokens N]

The model: `--model` (an HF folder) or, when absent, a Qwen3 built from a config with random weights:
`qwen3-8b` is Qwen3-8B's shape (hidden 4096, 36 layers, 32/8 heads, head dim 128, MLP 12288, vocab
151,936); `small` keeps the vocabulary (what the log-prob memory is about) and shrinks the rest
(hidden 256, 2 layers, 4/2 heads, MLP 768) so it runs on a CPU. bf16 on CUDA, float32 on CPU (or
`--dtype`), gradient checkpointing on, LoRA r = α = 64 on q/k/v/o.

Variants, each in its own process (so peak memory is its own), on the same synthetic tokens:
- `learner`: the learner's own step (flowsteer_learner.step.train_step: scoring pass with the
  reference forward, CWRPO loss, chunked lm_head log-probs, AdamW);
- `learner-naive`: the same with `logprobChunk: 0` (full-vocabulary float32 log_softmax, as before);
- `learner-arrival`: the learner's step with `microBatchOrder: arrival` (micro-batches in the batch's
  order, not grouped by length: what padding costs);
- `peft`: a bare PEFT loop: forward, logits, masked token NLL, backward, AdamW — no scoring pass, no
  reference, no clip: the floor any learner pays (micro-batches in arrival order, right-padded).
`--lengths mixed` draws each sample's length uniformly from [tokens/8, tokens] (rollouts differ in
length); `fixed` (default) gives every sample `--tokens` tokens. Tokens/s counts real tokens, never
padding.
Reports tokens/s (steady steps: all but the first; and of the fastest steady step, which a machine
shared with other jobs distorts least) and peak memory: CUDA max allocated on a GPU;
on a CPU the process's peak RSS and its rise over the RSS after the model was built.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "apps/learner"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHAPES = {
    "qwen3-8b": dict(hidden_size=4096, num_hidden_layers=36, num_attention_heads=32, num_key_value_heads=8, head_dim=128, intermediate_size=12288, vocab_size=151936),
    "small": dict(hidden_size=256, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, head_dim=64, intermediate_size=768, vocab_size=151936),
}


def rss_gib() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 2**20
    return 0.0


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def synthetic_samples(n: int, tokens: int, vocab: int, lengths: str = "fixed", seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    samples = []
    for i in range(n):
        length = tokens if lengths == "fixed" else rng.randint(max(2, tokens // 8), tokens)
        ids = [rng.randrange(3, vocab) for _ in range(length)]
        mask, t, director = [], 0, False  # prompt (0), then alternating director (1) / feedback (0) spans
        while t < length:
            span = min(length - t, rng.randint(64, 512) if length > 2048 else rng.randint(8, 40))
            mask += [1 if director else 0] * span
            t += span
            director = not director
        samples.append({"trajectoryId": f"t{i}", "tokenIds": ids, "mask": mask, "oldLogprobs": None, "advantage": 1.0 if i % 2 == 0 else -1.0})
    return samples


def build_model(args, device, dtype):
    import torch
    from flowsteer_learner.model import LoraSettings, lora_config
    from peft import get_peft_model
    from transformers import AutoModelForCausalLM, Qwen3Config, Qwen3ForCausalLM

    if args.model:
        base = AutoModelForCausalLM.from_pretrained(args.model, dtype=dtype, local_files_only=True)
    else:
        torch.manual_seed(0)
        config = Qwen3Config(**SHAPES[args.shape], max_position_embeddings=max(40960, args.tokens), tie_word_embeddings=False, pad_token_id=0)
        with torch.device(device):
            base = Qwen3ForCausalLM(config).to(dtype)
    base.to(device)
    model = get_peft_model(base, lora_config(LoraSettings(args.lora_r, args.lora_r, 0.0, ("q_proj", "k_proj", "v_proj", "o_proj"))))
    model.gradient_checkpointing_enable()
    model.enable_input_require_grads()
    model.train()
    return model


def run_variant(args) -> dict:
    import torch
    from flowsteer_learner.config import Hyperparameters
    from flowsteer_learner.step import train_step

    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    dtype = getattr(torch, args.dtype or ("bfloat16" if cuda else "float32"))
    model = build_model(args, device, dtype)
    vocab = model.get_input_embeddings().weight.shape[0]
    samples = synthetic_samples(args.samples, args.tokens, vocab, args.lengths)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-5)
    rss_loaded = rss_gib()
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    hp = Hyperparameters(micro_batch_size=args.micro_batch, logprob_chunk=0 if args.variant == "learner-naive" else args.chunk, kl_beta=0.005,
                         dtype=str(dtype).split(".")[-1], micro_batch_order="arrival" if args.variant == "learner-arrival" else "length",
                         micro_batch_tokens=args.micro_batch_tokens)
    metrics: dict = {}
    times = []
    for step in range(1, args.steps + 1):
        t0 = time.perf_counter()
        if args.variant == "peft":
            opt.zero_grad(set_to_none=True)
            for i in range(0, len(samples), args.micro_batch):
                chunk = samples[i:i + args.micro_batch]
                T = max(len(s["tokenIds"]) for s in chunk)
                ids = torch.tensor([s["tokenIds"] + [0] * (T - len(s["tokenIds"])) for s in chunk], device=device)
                attn = torch.tensor([[1] * len(s["tokenIds"]) + [0] * (T - len(s["tokenIds"])) for s in chunk], device=device)
                mask = torch.tensor([s["mask"] + [0] * (T - len(s["mask"])) for s in chunk], device=device, dtype=torch.float32)[:, 1:]
                adv = torch.tensor([s["advantage"] for s in chunk], device=device)
                logits = model(input_ids=ids, attention_mask=attn).logits[:, :-1]
                nll = torch.nn.functional.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1), reduction="none").view(mask.shape)
                loss = ((nll * mask).sum(-1) / mask.sum(-1).clamp(min=1) * adv).sum() / len(samples)
                loss.backward()
                del logits, nll, loss
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
        else:
            metrics = train_step(model, opt, params, samples, hp, step, None, "bench")
        if cuda:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
        print(f"  {args.variant} step {step}: {times[-1]:.2f}s", file=sys.stderr, flush=True)
    tokens = sum(len(s["tokenIds"]) for s in samples)
    steady = times[1:] or times
    out = {"variant": args.variant, "device": torch.cuda.get_device_name() if cuda else "cpu", "dtype": str(dtype).split(".")[-1],
           "tokensPerStep": tokens, "tokensPerSecond": round(tokens * len(steady) / sum(steady), 1),
           "tokensPerSecondBestStep": round(tokens / min(steady), 1), "stepSeconds": [round(t, 2) for t in times]}
    if "paddingFraction" in metrics:
        out["paddingFraction"] = round(metrics["paddingFraction"], 3)
    if cuda:
        out["peakGiB"] = round(torch.cuda.max_memory_allocated() / 2**30, 2)
    else:
        out["peakRssGiB"] = round(peak_rss_gib(), 2)
        out["rssAfterBuildGiB"] = round(rss_loaded, 2)
        out["stepPeakRiseGiB"] = round(peak_rss_gib() - rss_loaded, 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", choices=sorted(SHAPES), default=None, help="default: qwen3-8b on CUDA, small on CPU")
    ap.add_argument("--model", default=None, help="an HF folder instead of random weights")
    ap.add_argument("--samples", type=int, default=None, help="default: 2 x micro-batch")
    ap.add_argument("--tokens", type=int, default=None, help="tokens per sample (default 8192 on CUDA, 512 on CPU)")
    ap.add_argument("--micro-batch", type=int, default=4)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--lora-r", type=int, default=64)
    ap.add_argument("--chunk", type=int, default=2048)
    ap.add_argument("--dtype", default=None)
    ap.add_argument("--variants", default="learner,learner-naive,peft")
    ap.add_argument("--lengths", choices=["fixed", "mixed"], default="fixed")
    ap.add_argument("--micro-batch-tokens", type=int, default=None, help="the learner's microBatchTokens (cap on a pass's padded tokens)")
    ap.add_argument("--variant", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    import torch

    cuda = torch.cuda.is_available()
    args.shape = args.shape or ("qwen3-8b" if cuda else "small")
    args.tokens = args.tokens or (8192 if cuda else 512)
    args.samples = args.samples or 2 * args.micro_batch
    if args.variant:
        print(json.dumps(run_variant(args)), flush=True)
        return
    print(f"host: {platform.platform()}, {os.cpu_count()} CPUs, torch {torch.__version__} ({torch.get_num_threads()} threads), cuda={cuda}")
    print(f"model: {args.model or 'random-weight Qwen3, shape ' + args.shape}; batch {args.samples} x {args.tokens} tokens ({args.lengths} lengths), micro-batch {args.micro_batch}, "
          f"LoRA r={args.lora_r} q/k/v/o, gradient checkpointing, {args.steps} steps (first excluded from tokens/s)")
    results = []
    for variant in args.variants.split(","):
        cmd = [sys.executable, __file__, "--variant", variant, "--shape", args.shape, "--tokens", str(args.tokens), "--samples", str(args.samples),
               "--micro-batch", str(args.micro_batch), "--steps", str(args.steps), "--lora-r", str(args.lora_r), "--chunk", str(args.chunk), "--lengths", args.lengths]
        cmd += ["--micro-batch-tokens", str(args.micro_batch_tokens)] if args.micro_batch_tokens else []
        cmd += (["--model", args.model] if args.model else []) + (["--dtype", args.dtype] if args.dtype else [])
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            results.append({"variant": variant, "error": f"exit {proc.returncode} (out of memory?)"})
        else:
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
