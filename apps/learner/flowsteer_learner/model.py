"""Loading the base model (HF folder or GGUF file) and the LoRA adapter with transformers + peft."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

import torch

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a hub: models are local paths
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_TARGET_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj")


class LearnerError(ValueError):
    """A rejected input; the message says what was wrong and what to pass."""


@dataclass(frozen=True)
class LoraSettings:
    r: int = 64
    alpha: int = 64
    dropout: float = 0.05
    target_modules: Sequence[str] = field(default=DEFAULT_TARGET_MODULES)

    def key(self) -> tuple:
        return (self.r, self.alpha, self.dropout, tuple(self.target_modules))


def resolve_model_ref(ref: str) -> tuple[str, Optional[str]]:
    """A model reference is a local HF folder, a `.gguf` file, or `<folder>::<file.gguf>`.

    Returns (folder, gguf file name or None). Hub names are refused (no network use)."""
    if "::" in ref:
        folder, gguf = ref.split("::", 1)
    elif ref.endswith(".gguf"):
        folder, gguf = str(Path(ref).parent), Path(ref).name
    else:
        folder, gguf = ref, None
    path = Path(folder) / gguf if gguf else Path(folder)
    if not path.exists():
        raise LearnerError(
            f"base model {ref!r} not found: pass a local HF model folder (config.json + weights) or a .gguf file"
            " (e.g. .flowsteer/models/SmolLM2-135M-Instruct.Q4_1.gguf after `bash libs/llm/setup/fetch-model.sh`);"
            " hub names are not downloaded"
        )
    return folder, gguf


def torch_dtype(name: str) -> torch.dtype:
    try:
        return {"float32": torch.float32, "fp32": torch.float32, "bfloat16": torch.bfloat16, "bf16": torch.bfloat16, "float16": torch.float16, "fp16": torch.float16}[name]
    except KeyError:
        raise LearnerError(f"dtype {name!r} is not known: use float32, bfloat16 or float16") from None


def default_device() -> torch.device:
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def load_base_model(ref: str, dtype: str = "float32", device: Optional[torch.device] = None):
    """The base causal LM in eval mode; GGUF files are dequantised by transformers (needs `gguf`)."""
    from transformers import AutoModelForCausalLM

    folder, gguf = resolve_model_ref(ref)
    kwargs = {"dtype": torch_dtype(dtype), "local_files_only": True}
    if gguf:
        kwargs["gguf_file"] = gguf
    model = AutoModelForCausalLM.from_pretrained(folder, **kwargs)
    model.to(device or default_device())
    model.config.use_cache = False
    return model


def load_tokenizer(ref: str):
    from transformers import AutoTokenizer

    folder, gguf = resolve_model_ref(ref)
    kwargs = {"local_files_only": True}
    if gguf:
        kwargs["gguf_file"] = gguf
    return AutoTokenizer.from_pretrained(folder, **kwargs)


def lora_config(settings: LoraSettings):
    from peft import LoraConfig, TaskType

    return LoraConfig(
        r=settings.r,
        lora_alpha=settings.alpha,
        lora_dropout=settings.dropout,
        target_modules=list(settings.target_modules),
        task_type=TaskType.CAUSAL_LM,
        bias="none",
    )


class PolicyCache:
    """Keeps one PeftModel per (base model, dtype, LoRA settings) in the worker process, so a step
    does not reload the base weights; each step then sets the adapter weights it starts from."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._models: dict[tuple, object] = {}

    def get(self, ref: str, dtype: str, settings: LoraSettings):
        key = (str(ref), dtype, settings.key())
        with self._lock:
            model = self._models.get(key)
            if model is None:
                from peft import get_peft_model

                self._models.clear()  # one base model at a time: memory matters more than switching
                base = load_base_model(ref, dtype)
                model = get_peft_model(base, lora_config(settings))
                self._models[key] = model
            return model


def reset_adapter(model, seed: int) -> None:
    """Fresh LoRA weights (A random from `seed`, B = 0): the adapter of a run's first step."""
    from peft.tuners.lora import LoraLayer

    gen_state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    try:
        for module in model.modules():
            if isinstance(module, LoraLayer):
                for name in list(module.lora_A.keys()):
                    module.reset_lora_parameters(name, True)
    finally:
        torch.random.set_rng_state(gen_state)


def load_adapter_weights(model, adapter_dir: str | Path) -> None:
    """Loads `adapter_model.safetensors` saved by `save_pretrained` into the cached PeftModel."""
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    path = Path(adapter_dir) / "adapter_model.safetensors"
    if not path.exists():
        raise LearnerError(f"adapter {adapter_dir} has no adapter_model.safetensors: pass a folder written by the learner (…/step-<k>/adapter)")
    result = set_peft_model_state_dict(model, load_file(str(path), device=str(next(model.parameters()).device)))
    unexpected = getattr(result, "unexpected_keys", None)
    if unexpected:
        raise LearnerError(f"adapter {adapter_dir} does not fit the model and LoRA settings (unexpected keys {list(unexpected)[:3]}…)")
