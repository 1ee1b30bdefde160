"""The `learnerStep` input, parsed from JSON (camelCase keys as sent by the TypeScript workflow;
snake_case is accepted too)."""
from __future__ import annotations

import math
import os
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Optional

from .model import DEFAULT_TARGET_MODULES, LearnerError, LoraSettings


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _normalise(d: dict, where: str, allowed: set[str]) -> dict:
    if not isinstance(d, dict):
        raise LearnerError(f"{where} must be a JSON object, got {type(d).__name__}")
    out = {}
    for k, v in d.items():
        s = _snake(k)
        if s not in allowed:
            raise LearnerError(f"{where}: unknown key {k!r}; known keys: {', '.join(sorted(_camel(a) for a in allowed))}")
        out[s] = v
    return out


@dataclass
class Hyperparameters:
    learning_rate: float = 1e-5
    betas: tuple[float, float] = (0.9, 0.999)
    adam_epsilon: float = 1e-8
    weight_decay: float = 0.01
    clip_epsilon: float = 0.2
    kl_beta: float = 0.005
    max_grad_norm: float = 1.0
    lora_r: int = 64
    lora_alpha: int = 64
    lora_dropout: float = 0.05
    lora_target_modules: list[str] = field(default_factory=lambda: list(DEFAULT_TARGET_MODULES))
    micro_batch_size: int = 4
    #: cap on a micro-batch's padded tokens (rows x its longest sample); None: rows only (microbatch.py)
    micro_batch_tokens: Optional[int] = None
    #: "length": micro-batches of samples of similar length (sorted, longest first); "arrival": batch order
    micro_batch_order: str = "length"
    #: "cosine" (paper/reference: cosine decay after warm-up) or "constant" (after warm-up)
    schedule: str = "cosine"
    warmup_steps: int = 10
    max_steps: int = 300
    min_lr_ratio: float = 0.0
    #: "cwrpo" (paper objective) or "reinforce" (reference code: -A * mean log pi, no ratio/clip/KL)
    loss: str = "cwrpo"
    #: "mean" over the batch's trajectories (paper 1/N) or "sum" (reference code); default by loss
    reduction: Optional[str] = None
    #: "sample": ratio against the sampler's log-probs in the samples (a token without one: the
    #: learner's own log-prob at the step's start); "recompute": against the learner's own log-probs at
    #: the step's start (PPO's pi_old; ratio 1 in the first update, not after)
    old_logprobs: str = "sample"
    #: passes over the batch per learner step (GRPO's num_iterations)
    ppo_epochs: int = 1
    #: trajectories per optimiser update (None: the whole batch, one update per epoch)
    mini_batch_size: Optional[int] = None
    #: truncated importance sampling against the sampler (with oldLogprobs "recompute"): each token's
    #: surrogate is weighted by min(pi_learner_old / pi_sampler, tisCap); None: off
    tis_cap: Optional[float] = None
    #: token positions per chunk of lm_head + log-prob (never the full logits); 0: the naive full-logits path
    logprob_chunk: int = 2048
    seed: int = 42
    dtype: str = "float32"
    gradient_checkpointing: bool = False

    @classmethod
    def from_json(cls, d: Optional[dict]) -> "Hyperparameters":
        d = dict(d or {})
        lora = d.pop("lora", None)
        names = {f.name for f in fields(cls)}
        kw = _normalise(d, "hyperparameters", names)
        if lora is not None:
            for k, v in _normalise(lora, "hyperparameters.lora", {"r", "alpha", "dropout", "target_modules"}).items():
                kw["lora_" + k] = v
        if "betas" in kw:
            kw["betas"] = tuple(float(b) for b in kw["betas"])
        hp = cls(**kw)
        hp.validate()
        return hp

    def validate(self) -> None:
        if self.schedule not in ("cosine", "constant"):
            raise LearnerError(f"schedule {self.schedule!r}: use 'cosine' or 'constant'")
        if self.loss not in ("cwrpo", "reinforce"):
            raise LearnerError(f"loss {self.loss!r}: use 'cwrpo' (paper) or 'reinforce' (reference code)")
        if self.reduction not in (None, "mean", "sum"):
            raise LearnerError(f"reduction {self.reduction!r}: use 'mean' or 'sum'")
        if self.old_logprobs not in ("sample", "recompute"):
            raise LearnerError(f"oldLogprobs {self.old_logprobs!r}: use 'sample' or 'recompute'")
        if not isinstance(self.ppo_epochs, int) or self.ppo_epochs < 1:
            raise LearnerError("ppoEpochs must be an integer >= 1")
        if self.mini_batch_size is not None and self.mini_batch_size < 1:
            raise LearnerError("miniBatchSize must be at least 1 (or null: the whole batch)")
        if self.tis_cap is not None and not (self.tis_cap > 0 and math.isfinite(self.tis_cap)):
            raise LearnerError("tisCap must be a finite number > 0 (or null: off)")
        if self.tis_cap is not None and self.old_logprobs != "recompute":
            raise LearnerError("tisCap needs oldLogprobs 'recompute': with 'sample' the ratio is already against the sampler")
        if self.logprob_chunk < 0:
            raise LearnerError("logprobChunk must be >= 0 (0: full logits)")
        if self.micro_batch_size < 1:
            raise LearnerError("microBatchSize must be at least 1")
        if self.micro_batch_tokens is not None and (not isinstance(self.micro_batch_tokens, int) or self.micro_batch_tokens < 1):
            raise LearnerError("microBatchTokens must be an integer >= 1 (or null: no token cap)")
        if self.micro_batch_order not in ("length", "arrival"):
            raise LearnerError(f"microBatchOrder {self.micro_batch_order!r}: use 'length' (less padding) or 'arrival'")
        if not (self.learning_rate >= 0 and math.isfinite(self.learning_rate)):
            raise LearnerError("learningRate must be a finite number >= 0")
        if self.warmup_steps < 0 or self.max_steps < 1:
            raise LearnerError("warmupSteps must be >= 0 and maxSteps >= 1")

    @property
    def lora(self) -> LoraSettings:
        return LoraSettings(self.lora_r, self.lora_alpha, self.lora_dropout, tuple(self.lora_target_modules))

    @property
    def effective_reduction(self) -> str:
        return self.reduction or ("sum" if self.loss == "reinforce" else "mean")

    def to_json(self) -> dict:
        return {_camel(k): (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


def lr_at(hp: Hyperparameters, step: int) -> float:
    """Learning rate of optimiser step `step` (1-based): linear warm-up over `warmupSteps` (step k of the
    warm-up uses k/warmup, so the first step is not wasted at lr 0), then constant or cosine decay to
    `minLrRatio * lr` at `maxSteps`."""
    if hp.warmup_steps > 0 and step <= hp.warmup_steps:
        return hp.learning_rate * step / hp.warmup_steps
    if hp.schedule == "constant":
        return hp.learning_rate
    span = max(1, hp.max_steps - hp.warmup_steps)
    progress = min(1.0, max(0.0, (step - hp.warmup_steps) / span))
    factor = hp.min_lr_ratio + (1 - hp.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress))
    return hp.learning_rate * factor


def default_artifacts_dir() -> Path:
    if os.environ.get("FLOWSTEER_ARTIFACTS"):
        return Path(os.environ["FLOWSTEER_ARTIFACTS"])
    home = os.environ.get("FLOWSTEER_HOME")
    return Path(home) / "artifacts" if home else Path.cwd() / ".flowsteer" / "artifacts"


@dataclass
class StepInput:
    run_id: str
    step: int
    base_model: str
    batch_path: str
    #: a checkpoint folder (…/step-<k>) or an adapter folder to start from, inside the artifact
    #: root; None: the run's step-<k-1> when it exists, else a fresh adapter
    start_checkpoint: Optional[str] = None
    hyperparameters: Hyperparameters = field(default_factory=Hyperparameters)
    #: the learner's own artifact root (FLOWSTEER_ARTIFACTS …): never taken from the input
    artifacts_root: Optional[Path] = None

    @classmethod
    def from_json(cls, d: Any, artifacts_root: Optional[Path] = None) -> "StepInput":
        if hasattr(d, "__dataclass_fields__") and not isinstance(d, dict):
            d = asdict(d)
        d = dict(d)
        if "artifactsDir" in d or "artifacts_dir" in d:
            raise LearnerError("learnerStep input: artifactsDir is not accepted; the artifact root is the learner's own (FLOWSTEER_ARTIFACTS or FLOWSTEER_HOME)")
        hp = d.pop("hyperparameters", None)
        kw = _normalise(d, "learnerStep input", {f.name for f in fields(cls)} - {"hyperparameters", "artifacts_root"})
        for req in ("run_id", "step", "base_model", "batch_path"):
            if kw.get(req) in (None, ""):
                raise LearnerError(f"learnerStep input needs {_camel(req)!r}")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", str(kw["run_id"])):
            raise LearnerError(f"runId {kw['run_id']!r} must be letters, digits, '.', '_' or '-' (it names a folder)")
        step = kw["step"]
        if not isinstance(step, int) or isinstance(step, bool) or step < 1:
            raise LearnerError(f"step {step!r} must be an integer >= 1 (the optimiser step this call applies)")
        root = Path(artifacts_root) if artifacts_root is not None else default_artifacts_dir()
        return cls(hyperparameters=Hyperparameters.from_json(hp), artifacts_root=root.resolve(), **kw)

    @property
    def artifacts(self) -> Path:
        return self.artifacts_root if self.artifacts_root is not None else default_artifacts_dir().resolve()

    def run_dir(self) -> Path:
        return self.artifacts / "runs" / self.run_id

    def step_dir(self, step: Optional[int] = None) -> Path:
        return self.run_dir() / f"step-{self.step if step is None else step}"

    def resolve_batch_path(self) -> Path:
        return inside_root(self.artifacts, self.batch_path, "batchPath")


def inside_root(root: Path, ref: str, what: str) -> Path:
    """`ref` (relative to `root`, or absolute) resolved with symlinks and `..` followed; refused when it
    leaves `root`. Every path the learner opens from its input goes through here, so a caller can never
    make it read (or unpickle) a file outside its own artifact store."""
    root = root.resolve()
    p = Path(ref)
    resolved = (p if p.is_absolute() else root / p).resolve()
    if resolved != root and root not in resolved.parents:
        raise LearnerError(f"{what} {ref!r} is outside the learner's artifact root: pass a path relative to the artifact store")
    return resolved
