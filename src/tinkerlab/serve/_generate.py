"""A text-generation service: the same server as Ship, for a causal language model.

``tinkerlab serve models/ac`` on a directory written by ``tinkerlab autocomplete train``
(or any local Hugging Face causal LM, or the readable GPT of ``tinkerlab gpt train``)
builds this app instead of the artifact service.
It is built by the same route set (``_routes.py``), so it behaves the same way: loopback by
default and a bearer token beyond it, 413 for an oversized body, a 422 that names the
field and the allowed range, Prometheus counters, a JSON access log, and ``/docs`` served
offline.

=================  ====================================================================
``POST /generate`` ``{"prompt": "the support team", "max_new_tokens": 20, ...}`` →
                   ``{"completions": [...], "model_id": .., "model_version": ..}``
``GET /health``    liveness, with the model id and version (never needs the token)
``GET /metadata``  the model: architecture, size, context, tokenizer, training numbers
``GET /metrics``   Prometheus text: requests, errors, latency
``GET /docs``      Swagger UI from files shipped in a pip package (works offline)
=================  ====================================================================

Generation holds the CPU for a while and seeds torch's global random state, so requests
run one at a time in a worker thread (``one_at_a_time_endpoint`` in ``_routes.py``): the
event loop keeps answering ``/health`` meanwhile, and a seeded request always gives the
same text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from tinkerlab.serve._config import ServeConfig
from tinkerlab.serve._routes import Service, build_app, one_at_a_time_endpoint

if TYPE_CHECKING:
    from tinkerlab.pretrained import CausalLM

#: Limits of one request (the 422 names them).
MAX_PROMPT_CHARS = 4_000
MAX_NEW_TOKENS = 512
MAX_COMPLETIONS = 8


def is_language_model_dir(path: str | Path) -> bool:
    """Whether *path* is a Hugging Face model directory rather than a tinkerlab artifact."""
    path = Path(path).expanduser()
    return (path / "config.json").is_file() and not (path / "meta.json").is_file()


def is_scratch_gpt_dir(path: str | Path) -> bool:
    """Whether *path* holds the readable GPT of ``tinkerlab gpt train`` (tinkerlab.scratch)."""
    config = Path(path).expanduser() / "config.json"
    try:
        return bool(json.loads(config.read_text(encoding="utf-8")).get("kind") == GPT_KIND)
    except (OSError, ValueError, AttributeError):
        return False


#: ``config.json``'s ``kind`` for the GPT of ``tinkerlab.scratch`` (``scratch/_gpt_train.py``).
GPT_KIND = "tinkerlab.scratch.GPT"


@dataclass
class ScratchGPT:
    """The readable GPT, answering as the service's language models do."""

    model: Any  # tinkerlab.scratch.GPT
    meta: dict[str, Any]  # its config.json
    path: Path

    @property
    def context(self) -> int:
        return int(self.meta["config"]["block_size"])

    def generate(
        self,
        prompt: str,
        *,
        max_new_tokens: int | None = None,
        temperature: float = 0.8,
        top_k: int = 40,
        num: int = 1,
        seed: int | None = None,
    ) -> list[str]:
        """*num* continuations of *prompt* (the new text only); temperature 0 is greedy."""
        from tinkerlab.scratch._gpt_train import sample

        greedy = temperature == 0
        start = (
            seed
            if seed is not None
            else int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:4])
        )
        out = []
        for i in range(num):
            text = sample(
                self.model,
                prompt,
                max_new_tokens or 40,
                1.0 if greedy else temperature,
                1 if greedy else (top_k or None),
                start + i,
            )
            out.append(text[len(prompt) :])
        return out


@dataclass
class GenerationModel:
    """A loaded causal LM with what the service shows about it."""

    lm: CausalLM | ScratchGPT  # a Hugging Face causal LM, or the GPT of tinkerlab.scratch
    model_id: str  # the directory's name
    version: str  # first 12 hex digits of the SHA-256 of config.json and the weights' sizes
    notices: list[str] = field(default_factory=list)  # what the command line should mention

    @classmethod
    def load(cls, path: str | Path) -> GenerationModel:
        """Load the model in *path* (never downloads; errors say what the directory lacks)."""
        from tinkerlab.pretrained import load_causal_lm

        path = Path(path).expanduser().resolve()
        lm: Any
        if is_scratch_gpt_dir(path):  # tinkerlab gpt train: safetensors + JSON, no pickle
            from tinkerlab.scratch._gpt_train import load_gpt

            model, meta = load_gpt(path)
            lm = ScratchGPT(model, meta, path)
        else:
            lm = load_causal_lm(path)
        digest = hashlib.sha256((path / "config.json").read_bytes())
        for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
            digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
        return cls(lm=lm, model_id=path.name, version=digest.hexdigest()[:12])

    def metadata(self) -> dict[str, Any]:
        """What ``GET /metadata`` returns."""
        if isinstance(self.lm, ScratchGPT):
            return {
                "model_id": self.model_id,
                "model_version": self.version,
                "task": "text-generation",
                "architecture": ["tinkerlab.scratch.GPT"],
                "model_type": "gpt (byte level)",
                "parameters": int(sum(p.numel() for p in self.lm.model.parameters())),
                "context": self.lm.context,
                "vocab_size": 256,
                "training": {
                    "curve": self.lm.meta.get("curve"),
                    "source": self.lm.meta.get("source"),
                },
            }
        model, tokenizer = self.lm.model, self.lm.tokenizer
        meta: dict[str, Any] = {
            "model_id": self.model_id,
            "model_version": self.version,
            "task": "text-generation",
            "architecture": list(getattr(model.config, "architectures", None) or []),
            "model_type": getattr(model.config, "model_type", None),
            "parameters": int(sum(p.numel() for p in model.parameters())),
            "context": self.lm.context,
            "vocab_size": getattr(tokenizer, "vocab_size", None),
        }
        from tinkerlab.pretrained._autocomplete import TRAINING_FILE

        training = self.lm.path / TRAINING_FILE  # written by tinkerlab autocomplete train
        if training.is_file():
            try:
                meta["training"] = json.loads(training.read_text(encoding="utf-8"))
            except ValueError:
                meta["training"] = None
        return meta


class GenerateRequest(BaseModel):
    """The start of a text, and how to continue it."""

    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(
        min_length=1,
        max_length=MAX_PROMPT_CHARS,
        description="The start of the text to continue.",
        examples=["the support team"],
    )
    max_new_tokens: int | None = Field(
        default=None, ge=1, le=MAX_NEW_TOKENS, description="Tokens to add (default 40)."
    )
    temperature: float = Field(
        default=0.8, ge=0.0, le=5.0, description="0: always the likeliest token (greedy)."
    )
    top_k: int = Field(default=40, ge=0, le=10_000, description="0: sample among all tokens.")
    num: int = Field(default=1, ge=1, le=MAX_COMPLETIONS, description="How many completions.")
    seed: int | None = Field(
        default=None, ge=0, le=2**32 - 1, description="The same seed gives the same completions."
    )


class Completions(BaseModel):
    """The completions (the new text only), the prompt, and which model wrote them."""

    completions: list[str]
    prompt: str
    model_id: str
    model_version: str
    seconds: float


def create_generation_app(served: GenerationModel, config: ServeConfig | None = None) -> FastAPI:
    """The FastAPI app serving *served* (see the module docstring for the endpoints)."""
    from tinkerlab.pretrained import generate

    def complete(request: GenerateRequest) -> tuple[dict[str, Any], int]:
        settings = request.model_dump()
        prompt = settings.pop("prompt")
        if isinstance(served.lm, ScratchGPT):
            return {"completions": served.lm.generate(prompt, **settings), "prompt": prompt}, 1
        return {"completions": generate(served.lm, prompt, **settings), "prompt": prompt}, 1

    service = Service.of(
        served,
        title=f"tinkerlab text generation: {served.model_id}",
        description=(
            f"Continues a prompt with the causal language model `{served.model_id}` "
            f"({served.lm.context or 'unlimited'} tokens of context). POST the prompt to "
            "`/generate`; `/metadata` describes the model."
        ),
        endpoint=one_at_a_time_endpoint(
            served,
            "/generate",
            "Continue a prompt",
            (GenerateRequest, Completions),
            complete,
            _field_problem,
        ),
    )
    return build_app(service, config or ServeConfig())


def _field_problem(error: dict[str, Any]) -> dict[str, Any]:
    """One pydantic error as the service reports it: the field, the value, what is allowed."""
    where = [str(part) for part in error.get("loc", ()) if part != "body"]
    name = ".".join(where) or None
    value = error.get("input")
    shown = value if isinstance(value, str | int | float | bool) or value is None else "..."
    if error.get("type") == "extra_forbidden":
        allowed = ", ".join(GenerateRequest.model_fields)
        message = f"field '{name}' is not known; the fields are {allowed}"
    else:
        message = f"field '{name}' got {shown!r}: {error.get('msg', 'not allowed')}"
    return {"field": name, "value": shown, "type": error.get("type"), "message": message}


__all__ = ["GenerationModel", "ScratchGPT", "create_generation_app", "is_language_model_dir"]
