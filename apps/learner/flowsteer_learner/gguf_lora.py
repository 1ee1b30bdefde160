"""Exports the trained LoRA as a llama.cpp adapter file (`adapter/adapter.gguf`).

When the base model is a GGUF (the embedded SmolLM2), the director that samples rollouts is
llama.cpp (node-llama-cpp in the worker). It loads LoRA adapters in llama.cpp's own format, not
peft's safetensors, so each checkpoint also gets this file and the worker can publish it: the next
step's rollouts then come from the policy being trained (on-policy), as with vLLM on GPU.

Layout: tensors `blk.<i>.<gguf module>.weight.lora_a` (rank x in) and `.lora_b` (out x rank) in
float32, `general.type = adapter`, `adapter.type = lora`, `adapter.lora.alpha`. llama.cpp scales by
alpha / rank like peft. llama.cpp stores the q and k projections with their rows permuted for its
rotary layout (transformers undoes this when it reads a GGUF), so lora_b of q and k is permuted the
same way here.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .model import resolve_model_ref

MODULES = {
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down",
}
_KEY = re.compile(r"layers\.(\d+)\.(self_attn\.\w+|mlp\.\w+)\.lora_([AB])\.weight$")
ADAPTER_FILE = "adapter.gguf"


def gguf_architecture(base_ref: str) -> str | None:
    """The base GGUF's `general.architecture`, or None when the base is not a GGUF file (then the
    `gguf` package is not needed: a learner image for Hugging Face bases may lack it)."""
    folder, name = resolve_model_ref(base_ref)
    if not name:
        return None
    import gguf

    reader = gguf.GGUFReader(str(Path(folder) / name))
    field = reader.fields["general.architecture"]
    return bytes(field.parts[field.data[0]]).decode()


def to_gguf_rows(rows: np.ndarray, n_head: int) -> np.ndarray:
    """HF row order of a q/k projection -> llama.cpp's (the converter's permutation)."""
    dim = rows.shape[0] // n_head // 2
    return rows.reshape(n_head, 2, dim, *rows.shape[1:]).swapaxes(1, 2).reshape(rows.shape)


def lora_tensors(state: dict, n_head: int, n_kv_head: int) -> dict[str, np.ndarray]:
    """peft adapter state dict -> llama.cpp tensor name -> float32 array."""
    out: dict[str, np.ndarray] = {}
    for key, value in state.items():
        m = _KEY.search(key)
        if not m:
            raise ValueError(f"cannot place adapter tensor {key} in a llama.cpp adapter")
        layer, module, ab = int(m.group(1)), m.group(2), m.group(3)
        if module not in MODULES:
            raise ValueError(f"LoRA on {module} has no llama.cpp counterpart (supported: {', '.join(MODULES)})")
        array = value.detach().to("cpu").float().numpy()
        if ab == "B" and module == "self_attn.q_proj":
            array = to_gguf_rows(array, n_head)
        elif ab == "B" and module == "self_attn.k_proj":
            array = to_gguf_rows(array, n_kv_head)
        out[f"blk.{layer}.{MODULES[module]}.weight.lora_{ab.lower()}"] = np.ascontiguousarray(array)
    return out


def export_lora_gguf(model, base_ref: str, adapter_dir: Path) -> Path | None:
    """Writes `adapter_dir/adapter.gguf` for a llama-architecture GGUF base; None for other bases
    (Hugging Face folders included, without importing `gguf`)."""
    arch = gguf_architecture(base_ref)
    if arch != "llama":
        return None
    import gguf
    from peft import get_peft_model_state_dict

    config = model.base_model.model.config
    lora = model.peft_config["default"]
    tensors = lora_tensors(get_peft_model_state_dict(model), config.num_attention_heads, config.num_key_value_heads)
    path = Path(adapter_dir) / ADAPTER_FILE
    writer = gguf.GGUFWriter(str(path), arch)
    writer.add_string(gguf.Keys.General.TYPE, "adapter")
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(lora.lora_alpha))
    for name, array in tensors.items():
        writer.add_tensor(name, array)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
