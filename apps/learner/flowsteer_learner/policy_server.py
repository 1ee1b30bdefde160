"""A small OpenAI-compatible policy server for CPU/small models (on GPU machines vLLM takes this role).

    python -m flowsteer_learner.policy_server --model <folder or .gguf> [--adapter <dir>] --port N

Binds 127.0.0.1 (``--host`` to change). Endpoints:
  GET  /v1/models              the base model id and every loaded adapter (lora_name)
  POST /v1/chat/completions    messages, max_tokens, temperature, top_p, seed, stop, logprobs,
                               top_logprobs, return_tokens_as_token_ids (vLLM); `model` picks the
                               base or an adapter. Log-probs are of the sampled tokens under the
                               model's own distribution (temperature 1, before top-p): the pi_old
                               of CWRPO. Each choice also carries `token_ids` (vLLM's
                               return_token_ids form) so trajectories pair ids and log-probs.
  POST /v1/load_lora_adapter   {"lora_name", "lora_path"}: load or replace an adapter (vLLM protocol)
  POST /v1/unload_lora_adapter {"lora_name"}
  GET  /health
One request generates at a time (a lock around the model); the HTTP server is threaded.
"""
from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional

import torch

from .model import LearnerError, load_base_model, load_tokenizer, resolve_model_ref


class PolicyError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error"):
        super().__init__(message)
        self.status, self.kind = status, kind


class Policy:
    def __init__(self, model_ref: str, served_name: Optional[str] = None, dtype: str = "float32"):
        self.model_ref = model_ref
        folder, gguf = resolve_model_ref(model_ref)
        self.name = served_name or (Path(gguf).stem if gguf else Path(folder).name)
        self.tokenizer = load_tokenizer(model_ref)
        self.model = load_base_model(model_ref, dtype)
        self.model.eval()
        self.model.config.use_cache = True
        self.adapters: dict[str, str] = {}
        self.lock = threading.Lock()
        self.created = int(time.time())

    # -- adapters (vLLM protocol)
    def load_adapter(self, name: str, path: str) -> None:
        from peft import PeftModel

        if not name or not path:
            raise PolicyError(400, "load_lora_adapter needs lora_name and lora_path")
        if not (Path(path) / "adapter_config.json").exists():
            raise PolicyError(400, f"lora_path {path} has no adapter_config.json: pass a folder saved by the learner (…/step-<k>/adapter)")
        with self.lock:
            if name == self.name:
                raise PolicyError(400, f"lora_name {name!r} is the base model's name; choose another")
            if not self.adapters:
                self.model = PeftModel.from_pretrained(self.model, path, adapter_name=name)
            else:
                if name in self.adapters:
                    self.model.delete_adapter(name)
                self.model.load_adapter(path, adapter_name=name)
            self.model.eval()
            self.adapters[name] = str(path)

    def unload_adapter(self, name: str) -> None:
        with self.lock:
            if name not in self.adapters:
                raise PolicyError(404, f"adapter {name!r} is not loaded; loaded: {sorted(self.adapters)}", "not_found_error")
            if len(self.adapters) == 1:
                self.model = self.model.unload()  # back to the plain base model
            else:
                self.model.delete_adapter(name)
            del self.adapters[name]

    def models(self) -> list[dict]:
        base = {"id": self.name, "object": "model", "created": self.created, "owned_by": "flowsteer", "root": self.model_ref, "parent": None}
        return [base] + [{"id": n, "object": "model", "created": self.created, "owned_by": "flowsteer", "root": p, "parent": self.name} for n, p in self.adapters.items()]

    # -- generation
    def _token_text(self, tid: int, as_ids: bool) -> str:
        return f"token_id:{tid}" if as_ids else self.tokenizer.decode([tid])

    def chat(self, req: dict) -> dict:
        messages = req.get("messages")
        if not isinstance(messages, list) or not messages:
            raise PolicyError(400, "messages must be a non-empty list of {role, content}")
        model_name = req.get("model") or self.name
        max_tokens = int(req.get("max_tokens") or req.get("max_completion_tokens") or 256)
        temperature = float(req.get("temperature", 1.0) if req.get("temperature") is not None else 1.0)
        top_p = float(req.get("top_p") if req.get("top_p") is not None else 1.0)
        want_lp = bool(req.get("logprobs"))
        top_n = int(req.get("top_logprobs") or 0)
        as_ids = bool(req.get("return_tokens_as_token_ids"))
        stops = req.get("stop") or []
        stops = [stops] if isinstance(stops, str) else list(stops)
        if int(req.get("n") or 1) != 1:
            raise PolicyError(400, "only n = 1 is supported")
        prompt_ids = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True)
        if isinstance(prompt_ids, dict) or hasattr(prompt_ids, "input_ids"):
            prompt_ids = prompt_ids["input_ids"]
        prompt_ids = list(prompt_ids)
        gen = torch.Generator().manual_seed(int(req["seed"])) if req.get("seed") is not None else None
        eos = {self.tokenizer.eos_token_id} if self.tokenizer.eos_token_id is not None else set()
        gen_eos = getattr(getattr(self.model, "generation_config", None), "eos_token_id", None)
        eos |= set(gen_eos) if isinstance(gen_eos, list) else ({gen_eos} if isinstance(gen_eos, int) else set())

        with self.lock:
            if model_name != self.name and model_name not in self.adapters:
                raise PolicyError(404, f"model {model_name!r} is not served; use one of {[m['id'] for m in self.models()]}", "not_found_error")
            ctx = self.model.disable_adapter() if (self.adapters and model_name == self.name) else _nullcontext()
            if self.adapters and model_name != self.name:
                self.model.set_adapter(model_name)
            device = next(self.model.parameters()).device
            out_ids: list[int] = []
            lps: list[dict] = []
            finish = "length"
            text = ""
            with torch.no_grad(), ctx:
                past = None
                inp = torch.tensor([prompt_ids], device=device)
                for _ in range(max_tokens):
                    res = self.model(input_ids=inp, past_key_values=past, use_cache=True)
                    past = res.past_key_values
                    logits = res.logits[0, -1].float()
                    logp = torch.log_softmax(logits, -1)
                    tid = _sample(logits, temperature, top_p, gen)
                    if want_lp:
                        entry = {"token": self._token_text(tid, as_ids), "logprob": float(logp[tid]), "bytes": list(self.tokenizer.decode([tid]).encode()), "top_logprobs": []}
                        if top_n:
                            vals, idx = torch.topk(logp, min(top_n, logp.shape[-1]))
                            entry["top_logprobs"] = [{"token": self._token_text(int(i), as_ids), "logprob": float(v), "bytes": list(self.tokenizer.decode([int(i)]).encode())} for v, i in zip(vals, idx)]
                        lps.append(entry)
                    out_ids.append(tid)  # EOS included: token_ids pair one to one with the log-probs
                    if tid in eos:
                        finish = "stop"
                        break
                    text = self.tokenizer.decode(out_ids, skip_special_tokens=True)
                    hit = next((s for s in stops if s and s in text), None)
                    if hit:
                        text = text[: text.index(hit)]
                        finish = "stop"
                        break
                    inp = torch.tensor([[tid]], device=device)
        choice = {
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": finish,
            "logprobs": {"content": lps} if want_lp else None,
            "token_ids": out_ids,
        }
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": "chat.completion", "created": int(time.time()), "model": model_name,
            "choices": [choice],
            "usage": {"prompt_tokens": len(prompt_ids), "completion_tokens": len(out_ids), "total_tokens": len(prompt_ids) + len(out_ids)},
        }


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *a):
        return False


def _sample(logits: torch.Tensor, temperature: float, top_p: float, gen: Optional[torch.Generator]) -> int:
    if temperature <= 0:
        return int(torch.argmax(logits))
    probs = torch.softmax(logits / temperature, -1)
    if top_p < 1.0:
        sp, si = torch.sort(probs, descending=True)
        keep = torch.cumsum(sp, -1) - sp < top_p
        keep[0] = True
        probs = torch.zeros_like(probs).scatter(0, si[keep], sp[keep])
        probs = probs / probs.sum()
    return int(torch.multinomial(probs, 1, generator=gen))


def make_handler(policy: Policy):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # quiet; errors are answered in JSON
            pass

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode() if not isinstance(body, (bytes, str)) else (body.encode() if isinstance(body, str) else body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if not isinstance(body, str) else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, err: PolicyError) -> None:
            self._send(err.status, {"error": {"message": str(err), "type": err.kind, "code": err.status}})

        def _body(self) -> dict:
            n = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(n) or b"{}")
            except json.JSONDecodeError as e:
                raise PolicyError(400, f"request body is not JSON: {e}")
            if not isinstance(body, dict):
                raise PolicyError(400, "request body must be a JSON object")
            return body

        def do_GET(self):
            try:
                if self.path.rstrip("/") in ("/v1/models", "/models"):
                    return self._send(200, {"object": "list", "data": policy.models()})
                if self.path in ("/health", "/v1/health"):
                    return self._send(200, {"status": "ok", "model": policy.name, "adapters": sorted(policy.adapters)})
                raise PolicyError(404, f"no route GET {self.path}", "not_found_error")
            except PolicyError as e:
                self._error(e)

        def do_POST(self):
            try:
                body = self._body()
                path = self.path.rstrip("/")
                if path == "/v1/chat/completions":
                    if body.get("stream"):
                        raise PolicyError(400, "stream is not supported by this server; send stream: false")
                    return self._send(200, policy.chat(body))
                if path == "/v1/load_lora_adapter":
                    policy.load_adapter(body.get("lora_name", ""), body.get("lora_path", ""))
                    return self._send(200, f"Success: LoRA adapter '{body['lora_name']}' added successfully.")
                if path == "/v1/unload_lora_adapter":
                    policy.unload_adapter(body.get("lora_name", ""))
                    return self._send(200, f"Success: LoRA adapter '{body['lora_name']}' removed successfully.")
                raise PolicyError(404, f"no route POST {self.path}", "not_found_error")
            except PolicyError as e:
                self._error(e)
            except (LearnerError, ValueError) as e:
                self._error(PolicyError(400, str(e)))
            except Exception as e:  # noqa: BLE001 - answer, never drop the connection
                self._error(PolicyError(500, f"{type(e).__name__}: {e}", "server_error"))

    return Handler


def serve(policy: Policy, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), make_handler(policy))
    server.daemon_threads = True
    return server


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="OpenAI-compatible policy server (CPU/small models)")
    ap.add_argument("--model", required=True, help="HF model folder or .gguf file")
    ap.add_argument("--adapter", help="LoRA adapter folder to load at start")
    ap.add_argument("--adapter-name", default="policy", help="lora_name of --adapter (default: policy)")
    ap.add_argument("--served-model-name", help="id of the base model in /v1/models")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8003)
    ap.add_argument("--dtype", default="float32")
    args = ap.parse_args(argv)
    torch.set_grad_enabled(False)
    policy = Policy(args.model, args.served_model_name, args.dtype)
    if args.adapter:
        policy.load_adapter(args.adapter_name, args.adapter)
    server = serve(policy, args.host, args.port)
    print(f"policy server: http://{args.host}:{server.server_address[1]}/v1 model={policy.name} adapters={sorted(policy.adapters)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
