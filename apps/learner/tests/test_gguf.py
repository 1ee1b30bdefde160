"""The embedded SmolLM2-135M GGUF (dequantised to float32 by transformers + gguf) trains on CPU.
Skipped when the model file is absent (`bash libs/llm/setup/fetch-model.sh` fetches it)."""
from pathlib import Path

import pytest
import torch
from flowsteer_learner import learner as learner_mod
from flowsteer_learner.config import Hyperparameters
from flowsteer_learner.learner import collate
from flowsteer_learner.loss import sequence_logprobs
from flowsteer_learner.model import load_tokenizer
from helpers import learn, make_sample, write_batch

GGUF = Path(__file__).resolve().parents[3] / ".flowsteer/models/SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.mark.skipif(not GGUF.exists(), reason=f"{GGUF} not present (bash libs/llm/setup/fetch-model.sh)")
def test_one_step_on_the_embedded_gguf(tmp_path):
    tok = load_tokenizer(str(GGUF))
    pos = make_sample(tok, "Build a workflow for: what is 2 + 2?", "<action>add</action><operator>Programmer</operator>", " Canvas: node_1 Programmer ran.", 1.0, "pos")
    neg = make_sample(tok, "Build a workflow for: what is 2 + 2?", "<action>finish</action>", " Canvas: finish rejected, no checker.", -1.0, "neg")
    batch = write_batch(tmp_path / "batch.json", [pos, neg])
    inp = {"runId": "gguf", "step": 1, "baseModel": str(GGUF), "batchPath": str(batch), "artifactsDir": str(tmp_path),
           "hyperparameters": {"learningRate": 2e-3, "warmupSteps": 0, "schedule": "constant", "lora": {"r": 8, "alpha": 16, "dropout": 0.0}}}
    out = learn(inp)
    m = out["metrics"]
    assert m["maskedTokens"] == sum(pos["mask"]) + sum(neg["mask"]) and m["gradNorm"] > 0
    assert Path(out["adapterPath"], "adapter_model.safetensors").exists()
    # The cached policy now holds the new adapter: positive up, negative down against the base.
    hp = Hyperparameters.from_json(inp["hyperparameters"])
    model = learner_mod._CACHE.get(str(GGUF), hp.dtype, hp.lora)
    b = collate([pos, neg], 0, model.get_input_embeddings().weight.shape[0], torch.device("cpu"))
    with torch.no_grad():
        new = (sequence_logprobs(model(input_ids=b["ids"], attention_mask=b["attn"]).logits, b["ids"]) * b["mask"]).sum(-1)
        with model.disable_adapter():
            old = (sequence_logprobs(model(input_ids=b["ids"], attention_mask=b["attn"]).logits, b["ids"]) * b["mask"]).sum(-1)
    assert new[0] > old[0] and new[1] < old[1], (old, new)


@pytest.mark.skipif(not GGUF.exists(), reason=f"{GGUF} not present (bash libs/llm/setup/fetch-model.sh)")
def test_a_gguf_base_also_gets_a_llama_cpp_adapter(tmp_path):
    import gguf

    tok = load_tokenizer(str(GGUF))
    pos = make_sample(tok, "Build a workflow for: what is 3 + 4?", "<action>add</action><operator>Custom</operator>", " Canvas: ok.", 1.0, "pos")
    batch = write_batch(tmp_path / "batch.json", [pos])
    inp = {"runId": "gguf-export", "step": 1, "baseModel": str(GGUF), "batchPath": str(batch), "artifactsDir": str(tmp_path),
           "hyperparameters": {"learningRate": 2e-3, "warmupSteps": 0, "schedule": "constant",
                               "lora": {"r": 4, "alpha": 8, "dropout": 0.0, "targetModules": ["q_proj", "k_proj", "v_proj"]}}}
    out = learn(inp)
    path = Path(out["adapterPath"]) / "adapter.gguf"
    assert path.exists()
    reader = gguf.GGUFReader(str(path))
    text = lambda k: bytes(reader.fields[k].parts[reader.fields[k].data[0]]).decode()  # noqa: E731
    assert text("general.architecture") == "llama" and text("general.type") == "adapter" and text("adapter.type") == "lora"
    assert float(reader.fields["adapter.lora.alpha"].parts[reader.fields["adapter.lora.alpha"].data[0]][0]) == 8.0
    shapes = {t.name: [int(d) for d in t.shape] for t in reader.tensors}
    assert len(shapes) == 30 * 3 * 2  # 30 blocks x (q, k, v) x (a, b)
    # GGUF lists dims innermost first: lora_a is (rank x in) -> [in, rank]; lora_b (out x rank) -> [rank, out]
    assert shapes["blk.0.attn_q.weight.lora_a"] == [576, 4] and shapes["blk.0.attn_q.weight.lora_b"] == [4, 576]
    assert shapes["blk.7.attn_k.weight.lora_b"] == [4, 192]
