"""The llama.cpp adapter export: tensor names, shapes, the q/k row permutation, refusals."""
import numpy as np
import pytest
import torch
from flowsteer_learner.gguf_lora import lora_tensors, to_gguf_rows


def from_gguf_rows(rows: np.ndarray, n_head: int) -> np.ndarray:
    """What transformers does to q/k rows when it reads a GGUF (its reverse permutation)."""
    dim = rows.shape[0] // n_head // 2
    return rows.reshape(n_head, dim, 2, *rows.shape[1:]).swapaxes(2, 1).reshape(rows.shape)


@pytest.mark.parametrize("n_head, head_dim, cols", [(9, 64, 8), (3, 64, 4), (4, 8, 1)])
def test_the_row_permutation_is_undone_by_the_reader(n_head, head_dim, cols):
    rows = np.random.default_rng(0).normal(size=(n_head * head_dim, cols)).astype(np.float32)
    there = to_gguf_rows(rows, n_head)
    assert not np.array_equal(there, rows)
    assert np.array_equal(from_gguf_rows(there, n_head), rows)


def test_names_shapes_and_which_tensors_are_permuted():
    r, hidden, n_head, n_kv = 4, 16, 4, 2
    kv_out = hidden // n_head * n_kv
    g = torch.Generator().manual_seed(1)
    state = {
        "base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight": torch.randn(r, hidden, generator=g),
        "base_model.model.model.layers.3.self_attn.q_proj.lora_B.weight": torch.randn(hidden, r, generator=g),
        "base_model.model.model.layers.3.self_attn.k_proj.lora_B.weight": torch.randn(kv_out, r, generator=g),
        "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight": torch.randn(kv_out, r, generator=g),
        "base_model.model.model.layers.0.mlp.down_proj.lora_A.weight": torch.randn(r, 3 * hidden, generator=g),
    }
    out = lora_tensors(state, n_head, n_kv)
    assert sorted(out) == ["blk.0.attn_v.weight.lora_b", "blk.0.ffn_down.weight.lora_a", "blk.3.attn_k.weight.lora_b", "blk.3.attn_q.weight.lora_a", "blk.3.attn_q.weight.lora_b"]
    q_b = state["base_model.model.model.layers.3.self_attn.q_proj.lora_B.weight"].numpy()
    k_b = state["base_model.model.model.layers.3.self_attn.k_proj.lora_B.weight"].numpy()
    assert np.array_equal(from_gguf_rows(out["blk.3.attn_q.weight.lora_b"], n_head), q_b)
    assert np.array_equal(from_gguf_rows(out["blk.3.attn_k.weight.lora_b"], n_kv), k_b)
    # A (the input side) and the other modules keep their layout
    assert np.array_equal(out["blk.3.attn_q.weight.lora_a"], state["base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight"].numpy())
    assert np.array_equal(out["blk.0.attn_v.weight.lora_b"], state["base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight"].numpy())
    assert all(a.dtype == np.float32 for a in out.values())


def test_a_module_llama_cpp_cannot_place_is_refused():
    with pytest.raises(ValueError, match="embed_tokens"):
        lora_tensors({"base_model.model.model.embed_tokens.lora_A.weight": torch.zeros(2, 2)}, 2, 2)
    with pytest.raises(ValueError, match="no llama.cpp counterpart"):
        lora_tensors({"base_model.model.model.layers.0.self_attn.rotary.lora_A.weight": torch.zeros(2, 2)}, 2, 2)


def test_an_hf_folder_base_needs_no_gguf_package(tiny_model_dir, tmp_path, monkeypatch):
    """A learner image without `gguf` trains HF-folder bases: the export is skipped without importing it."""
    import sys

    from flowsteer_learner.checkpoints import export_gguf_adapter
    from flowsteer_learner.gguf_lora import export_lora_gguf

    monkeypatch.setitem(sys.modules, "gguf", None)  # `import gguf` now raises ImportError
    assert export_lora_gguf(object(), str(tiny_model_dir), tmp_path) is None
    # …and where a GGUF base meets a missing package, the step still saves (logged, no llama.cpp copy)
    (tmp_path / "model.gguf").write_bytes(b"GGUF")
    with pytest.raises(ImportError):
        export_lora_gguf(object(), str(tmp_path / "model.gguf"), tmp_path)
    assert export_gguf_adapter(object(), str(tmp_path / "model.gguf"), tmp_path) is None


def test_the_initial_adapter_is_what_step_one_starts_from(tiny_model_dir, tmp_path):
    """init_adapter writes LoRA A from the seed and B = 0 (the base model's outputs), loadable by the learner."""
    from flowsteer_learner.init_adapter import write_initial_adapter
    from flowsteer_learner.model import LoraSettings, PolicyCache, reset_adapter
    from safetensors.torch import load_file

    settings = LoraSettings(8, 16, 0.0, ("q_proj", "v_proj"))
    out = write_initial_adapter(str(tiny_model_dir), tmp_path / "init", settings, seed=42, dtype="float32")
    written = load_file(str(out / "adapter_model.safetensors"))
    assert written and all(torch.count_nonzero(v) == 0 for k, v in written.items() if "lora_B" in k)
    fresh = PolicyCache().get(str(tiny_model_dir), "float32", settings)
    reset_adapter(fresh, 42)
    from peft import get_peft_model_state_dict

    for k, v in get_peft_model_state_dict(fresh).items():
        assert torch.equal(written[k], v), k
