"""The OpenAI-compatible policy server: chat with log-probs, adapters hot-loaded (vLLM protocol)."""
import json
import threading
import urllib.error
import urllib.request

import pytest
import torch
from flowsteer_learner.loss import sequence_logprobs
from flowsteer_learner.policy_server import Policy, serve
from helpers import learn, make_sample, step_input, write_batch
from transformers import AutoModelForCausalLM, AutoTokenizer


@pytest.fixture(scope="module")
def server(tiny_model_dir):
    policy = Policy(str(tiny_model_dir), served_name="tiny")
    srv = serve(policy, "127.0.0.1", 0)  # a free port
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", policy
    srv.shutdown()
    srv.server_close()


def call(base, path, body=None):
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            raw = r.read().decode()
            return r.status, (json.loads(raw) if r.headers.get("Content-Type") == "application/json" else raw)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


CHAT = {"messages": [{"role": "user", "content": "What is 2 + 2?"}], "max_tokens": 8, "temperature": 1.0, "seed": 3, "logprobs": True, "top_logprobs": 2}


def test_chat_with_logprobs_matches_the_learner(server, tiny_model_dir):
    base, _ = server
    status, models = call(base, "/v1/models")
    assert status == 200 and [m["id"] for m in models["data"]] == ["tiny"]
    status, res = call(base, "/v1/chat/completions", dict(CHAT, model="tiny"))
    assert status == 200, res
    ch = res["choices"][0]
    content = ch["logprobs"]["content"]
    assert len(content) == len(ch["token_ids"]) == res["usage"]["completion_tokens"] > 0
    assert all(e["logprob"] <= 0 and len(e["top_logprobs"]) == 2 for e in content)
    assert all(e["top_logprobs"][0]["logprob"] >= e["logprob"] - 1e-6 for e in content)
    # The served log-probs are the learner's pi_old: recompute them the learner's way.
    tok = AutoTokenizer.from_pretrained(str(tiny_model_dir), local_files_only=True)
    prompt = list(tok.apply_chat_template(CHAT["messages"], add_generation_prompt=True, tokenize=True, return_dict=True)["input_ids"])
    model = AutoModelForCausalLM.from_pretrained(str(tiny_model_dir), local_files_only=True).eval()
    ids = torch.tensor([prompt + ch["token_ids"]])
    with torch.no_grad():
        lp = sequence_logprobs(model(input_ids=ids).logits, ids)[0, len(prompt):]
    assert torch.allclose(lp, torch.tensor([e["logprob"] for e in content]), atol=1e-4)
    # Same seed, same answer; token ids form.
    _, again = call(base, "/v1/chat/completions", dict(CHAT, return_tokens_as_token_ids=True))
    assert again["choices"][0]["token_ids"] == ch["token_ids"]
    assert again["choices"][0]["logprobs"]["content"][0]["token"] == f"token_id:{ch['token_ids'][0]}"


def test_hot_loads_an_adapter(server, tiny_model_dir, tmp_path):
    base, policy = server
    tok = AutoTokenizer.from_pretrained(str(tiny_model_dir), local_files_only=True)
    batch = write_batch(tmp_path / "b.json", [make_sample(tok, "Q", "Plan -> Programmer", " ok", 1.0, "a"), make_sample(tok, "Q", "answer 7", " no", -1.0, "b")])
    out = learn(step_input(tiny_model_dir, tmp_path, "srv", 1, batch, learningRate=5e-2))
    status, msg = call(base, "/v1/load_lora_adapter", {"lora_name": "training_lora", "lora_path": out["adapterPath"]})
    assert status == 200 and "training_lora" in msg
    _, models = call(base, "/v1/models")
    assert [m["id"] for m in models["data"]] == ["tiny", "training_lora"]
    _, with_lora = call(base, "/v1/chat/completions", dict(CHAT, model="training_lora", temperature=0))
    _, without = call(base, "/v1/chat/completions", dict(CHAT, model="tiny", temperature=0))
    lp_lora = [e["logprob"] for e in with_lora["choices"][0]["logprobs"]["content"]]
    lp_base = [e["logprob"] for e in without["choices"][0]["logprobs"]["content"]]
    assert with_lora["model"] == "training_lora" and lp_lora != lp_base
    # Replacing the adapter under the same name (the training loop's publish) works too.
    status, _ = call(base, "/v1/load_lora_adapter", {"lora_name": "training_lora", "lora_path": out["adapterPath"]})
    assert status == 200
    status, err = call(base, "/v1/chat/completions", dict(CHAT, model="nope"))
    assert status == 404 and "not served" in err["error"]["message"]
    status, err = call(base, "/v1/load_lora_adapter", {"lora_name": "x", "lora_path": str(tmp_path / "missing")})
    assert status == 400 and "adapter_config.json" in err["error"]["message"]
    status, _ = call(base, "/v1/unload_lora_adapter", {"lora_name": "training_lora"})
    assert status == 200 and policy.adapters == {}
