"""A text autocompleter: a tiny GPT-2 trained on your own text, on the CPU.

Four steps, each a few lines of a library a learner will meet again:

1. split the text: the last ``val_fraction`` of it is kept aside to measure the model;
2. learn a byte-level BPE tokenizer on the rest (``tokenizers``): frequent letter pairs
   are merged into tokens until the vocabulary has ``vocab_size`` entries; being
   byte-level, it can encode any text, even characters it never saw;
3. train a small GPT-2 (``transformers`` + ``torch``) to predict each next token of
   ``block_size``-token windows, with AdamW;
4. report the validation loss (mean cross-entropy per token, in nats) and perplexity
   ``exp(loss)``: "as unsure as a fair choice between that many tokens".

The result is a standard Hugging Face directory (``config.json``, ``model.safetensors``,
``tokenizer.json``; no pickle), so :func:`load_causal_lm` loads it, and any other local
causal language model, the same way. Nothing is downloaded: every load passes
``local_files_only=True``.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from tinkerlab.exceptions import InputError
from tinkerlab.pretrained._offline import offline, quiet
from tinkerlab.pretrained._registry import require

#: The one special token: marks the start and end of a text (GPT-2's own choice).
END_OF_TEXT = "<|endoftext|>"
#: What train_autocomplete writes beside the model: its settings and scores.
TRAINING_FILE = "tinkerlab-autocomplete.json"

Progress = Callable[[int, int, float], None]  # (step, total steps, training loss)


@dataclass(frozen=True)
class TrainSettings:
    """How to train the autocompleter; the defaults train in about a minute on 100 KB."""

    block_size: int = 64  # tokens per training window, and the model's context length
    vocab_size: int = 1000  # tokens the BPE tokenizer learns (256 bytes + merges + 1 special)
    n_layer: int = 4  # transformer blocks
    n_head: int = 4  # attention heads per block; must divide n_embd
    n_embd: int = 128  # width of every token's vector
    epochs: int = 10  # passes over the training text
    steps: int | None = None  # train exactly this many steps instead (overrides epochs)
    batch_size: int = 16  # windows per optimisation step
    learning_rate: float = 3e-3  # AdamW's step size (small models like a large one)
    val_fraction: float = 0.1  # share of the text (its end) kept aside for validation
    seed: int = 0  # seeds the weights, the window order and the dropout

    def check(self) -> None:
        """Raise :class:`InputError` naming the first setting out of its range."""
        positive = ("block_size", "n_layer", "n_head", "n_embd", "epochs", "batch_size")
        for name in positive:
            if getattr(self, name) < 1:
                raise InputError(_bad(name, getattr(self, name), "an integer >= 1"))
        if self.block_size < 2:
            raise InputError(_bad("block_size", self.block_size, "an integer >= 2"))
        if self.steps is not None and self.steps < 1:
            raise InputError(_bad("steps", self.steps, "an integer >= 1"))
        if self.vocab_size < 260:
            raise InputError(_bad("vocab_size", self.vocab_size, "an integer >= 260 (256 bytes)"))
        if self.n_embd % self.n_head:
            raise InputError(
                f"n_embd (--embd) must be a multiple of n_head (--heads): each head gets "
                f"n_embd / n_head dimensions. Got n_embd={self.n_embd}, n_head={self.n_head}. "
                f"Fix: --embd {self.n_head * max(1, round(self.n_embd / self.n_head))}"
            )
        if not 0 < self.learning_rate < 1:
            raise InputError(_bad("learning_rate", self.learning_rate, "a float in (0, 1)"))
        if not 0 < self.val_fraction < 0.5:
            raise InputError(_bad("val_fraction", self.val_fraction, "a float in (0, 0.5)"))


def _bad(name: str, value: Any, allowed: str) -> str:
    option = "--" + {"n_layer": "layers", "n_head": "heads", "n_embd": "embd"}.get(
        name, name.replace("_", "-")
    )
    return f"{name} ({option}) must be {allowed}. Got {value!r} instead."


@dataclass(frozen=True)
class TrainResult:
    """What training produced: where the model is, and how good it got."""

    path: Path  # the saved model directory
    parameters: int  # trainable numbers in the model
    tokens: int  # tokens in the whole text
    train_blocks: int  # training windows per epoch
    val_blocks: int  # validation windows
    steps: int  # optimisation steps taken
    seconds: float  # training time (tokenizer included)
    val_loss_before: float  # validation loss of the untrained model (about log(vocab))
    val_loss: float  # validation loss after training, nats per token
    settings: TrainSettings = field(default_factory=TrainSettings)

    @property
    def perplexity_before(self) -> float:
        """``exp(val_loss_before)``."""
        return math.exp(self.val_loss_before)

    @property
    def perplexity(self) -> float:
        """``exp(val_loss)``: the model is as unsure as a choice among this many tokens."""
        return math.exp(self.val_loss)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` and the training file."""
        data = asdict(self)
        data["path"] = str(self.path)
        data["perplexity_before"] = self.perplexity_before
        data["perplexity"] = self.perplexity
        return data


@dataclass(frozen=True)
class CausalLM:
    """A loaded causal language model and its tokenizer (any Hugging Face directory)."""

    path: Path  # the directory it was loaded from
    model: Any  # a transformers PreTrainedModel ...ForCausalLM, in eval mode
    tokenizer: Any  # its tokenizer
    context: int | None  # longest sequence the model can read (None: not limited)


def split_text(text: str, val_fraction: float = 0.1) -> tuple[str, str]:
    """Split *text* into (training, validation): the validation part is its end.

    The cut moves to the next whitespace so that no word is split in two.
    """
    cut = int(len(text) * (1 - val_fraction))
    while cut < len(text) and not text[cut].isspace():
        cut += 1
    return text[:cut], text[cut:]


def read_text(path: str | Path) -> str:
    """Read a UTF-8 text file, refusing a missing, empty or binary one with the fix."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"No text file {str(path)!r}. Fix: check the path.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{str(path)!r} is not UTF-8 text (byte {error.start} cannot be decoded). "
            "Fix: save it as UTF-8 text."
        ) from None
    if not text.strip():
        raise InputError(
            f"{str(path)!r} holds no text ({len(text)} characters, all blank). "
            "Fix: give a file with a few kilobytes of text, e.g. your notes."
        )
    return text


def train_tokenizer(text: str, vocab_size: int) -> Any:
    """Learn a byte-level BPE tokenizer on *text*; returns a transformers fast tokenizer."""
    require("gpt2_tiny")
    offline()
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[END_OF_TEXT],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),  # all 256 bytes: nothing is unknown
        show_progress=False,
    )
    tokenizer.train_from_iterator([text], trainer=trainer)
    return PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]
        tokenizer_object=tokenizer,
        bos_token=END_OF_TEXT,
        eos_token=END_OF_TEXT,
        pad_token=END_OF_TEXT,
        model_max_length=1_000_000,  # windows are cut by us, never by the tokenizer
    )


def _windows(ids: Any, block_size: int, offset: int = 0) -> Any:
    """Cut a 1-D tensor of token ids into non-overlapping windows: (n_windows, block_size)."""
    usable = (len(ids) - offset) // block_size * block_size
    return ids[offset : offset + usable].view(-1, block_size)


def _mean_loss(model: Any, blocks: Any, batch_size: int = 32) -> float:
    """Mean next-token cross-entropy over *blocks* (n, T), in nats; no gradients, no dropout."""
    import torch

    model.eval()
    losses = []
    with torch.no_grad():
        for start in range(0, len(blocks), batch_size):
            batch = blocks[start : start + batch_size]  # (B, T)
            losses.append(float(model(input_ids=batch, labels=batch).loss) * len(batch))
    return sum(losses) / len(blocks)


def train_autocomplete(
    text_file: str | Path,
    out: str | Path,
    settings: TrainSettings | None = None,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> TrainResult:
    """Train a tokenizer and a small GPT-2 on a text file and save both to *out*.

    Parameters
    ----------
    text_file : str or Path
        A UTF-8 text file: notes, support replies, a book. A few kilobytes train a toy;
        a few megabytes give plausible completions.
    out : str or Path
        The directory to write (``config.json``, ``model.safetensors``, ``tokenizer.json``
        and ``tinkerlab-autocomplete.json``).
    settings : TrainSettings, optional
        Sizes, steps and seed; :class:`TrainSettings` defaults when None.
    overwrite : bool, default=False
        Replace *out* if it already holds files.
    progress : callable, optional
        Called after every step with ``(step, total_steps, training_loss)``.

    Returns
    -------
    TrainResult
        Validation loss and perplexity before and after training, and the sizes.

    Examples
    --------
    >>> from tinkerlab.pretrained import TrainSettings, train_autocomplete  # doctest: +SKIP
    >>> result = train_autocomplete("notes.txt", "models/ac", TrainSettings(steps=200))
    >>> result.perplexity < result.perplexity_before
    True
    """
    settings = settings or TrainSettings()
    settings.check()
    require("gpt2_tiny")
    text = read_text(text_file)
    out = Path(out)
    _check_out(out, overwrite)
    offline()
    import torch

    tick = time.perf_counter()
    torch.manual_seed(settings.seed)
    train_text, val_text = split_text(text, settings.val_fraction)
    tokenizer = train_tokenizer(train_text, settings.vocab_size)
    train_ids = torch.tensor(tokenizer(train_text)["input_ids"], dtype=torch.long)  # (N,)
    val_ids = torch.tensor(tokenizer(val_text)["input_ids"], dtype=torch.long)  # (M,)
    val_blocks = _windows(val_ids, settings.block_size)  # (V, T)
    n_train_blocks = len(train_ids) // settings.block_size
    if n_train_blocks == 0 or len(val_blocks) == 0:
        _too_short(settings, len(train_ids), len(val_ids))

    model = _new_model(tokenizer, settings)
    val_loss_before = _mean_loss(model, val_blocks)
    steps_per_epoch = math.ceil(n_train_blocks / settings.batch_size)
    total = settings.steps or settings.epochs * steps_per_epoch
    step = _train(model, train_ids, settings, total, progress)
    val_loss = _mean_loss(model, val_blocks)
    seconds = time.perf_counter() - tick

    result = TrainResult(
        path=out,
        parameters=sum(p.numel() for p in model.parameters()),
        tokens=len(train_ids) + len(val_ids),
        train_blocks=n_train_blocks,
        val_blocks=len(val_blocks),
        steps=step,
        seconds=seconds,
        val_loss_before=val_loss_before,
        val_loss=val_loss,
        settings=settings,
    )
    source = {
        "file": Path(text_file).name,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "characters": len(text),
        "validation_characters": len(val_text),
    }
    _save(out, model, tokenizer, {**result.to_dict(), "source": source})
    return result


def _check_out(out: Path, overwrite: bool) -> None:
    """Refuse to write into a directory that already holds files, unless *overwrite*."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not overwrite:
        raise InputError(
            f"{str(out)!r} already exists and is not empty. Fix: choose another --out, or "
            "pass --force to replace it."
        )


def _too_short(settings: TrainSettings, n_train: int, n_val: int) -> NoReturn:
    """Raise: the text does not fill one window of training and one of validation tokens."""
    need = settings.block_size / settings.val_fraction  # validation is that share of it
    raise InputError(
        f"The text is too short: {n_train} tokens to train on and {n_val} "
        f"to validate on, but one window needs block_size={settings.block_size} tokens in "
        f"each (about {math.ceil(need)} tokens in all). Fix: give a longer text (a few "
        f"kilobytes at least) or a smaller --block-size, e.g. "
        f"--block-size {max(2, settings.block_size // 4)}."
    )


def _new_model(tokenizer: Any, settings: TrainSettings) -> Any:
    """A freshly initialised GPT-2 of the settings' sizes, on the tokenizer's vocabulary."""
    from transformers import GPT2Config, GPT2LMHeadModel

    config = GPT2Config(
        vocab_size=len(tokenizer),
        n_positions=settings.block_size,
        n_embd=settings.n_embd,
        n_layer=settings.n_layer,
        n_head=settings.n_head,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return GPT2LMHeadModel(config)


def _train(
    model: Any, train_ids: Any, settings: TrainSettings, total: int, progress: Progress | None
) -> int:
    """Train *model* for *total* AdamW steps on shuffled windows of *train_ids*; the steps run."""
    import torch

    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.learning_rate)
    step = 0
    while step < total:
        # A new epoch: windows start at a random offset, in a random order.
        offset = int(torch.randint(0, settings.block_size, ()).item())
        blocks = _windows(train_ids, settings.block_size, offset)  # (n, T)
        if len(blocks) == 0:
            blocks = _windows(train_ids, settings.block_size)
        order = torch.randperm(len(blocks))
        for start in range(0, len(blocks), settings.batch_size):
            if step == total:
                break
            model.train()
            batch = blocks[order[start : start + settings.batch_size]]  # (B, T)
            loss = model(input_ids=batch, labels=batch).loss  # labels are shifted inside
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            step += 1
            if progress is not None:
                progress(step, total, loss.item())
    return step


def _save(out: Path, model: Any, tokenizer: Any, record: dict[str, Any]) -> None:
    """Replace *out* with the model, its tokenizer and the training record (JSON)."""
    if out.is_dir():
        shutil.rmtree(out)
    elif out.exists():
        out.unlink()
    out.mkdir(parents=True)
    model.save_pretrained(out)  # config.json + model.safetensors
    tokenizer.save_pretrained(out)  # tokenizer.json + tokenizer_config.json
    (out / TRAINING_FILE).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def _causal_architectures() -> set[str]:
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

    return set(MODEL_FOR_CAUSAL_LM_MAPPING_NAMES.values())


def load_causal_lm(path: str | Path) -> CausalLM:
    """Load a causal language model and its tokenizer from a local directory.

    Works for what :func:`train_autocomplete` saves and for any Hugging Face causal LM
    directory (GPT-2, Llama, Qwen... with ``config.json``, weights and a tokenizer).
    Never downloads (``local_files_only=True``).

    Raises
    ------
    InputError
        The directory is missing, is not a Hugging Face model, or holds a model that
        does not generate text (an encoder such as BERT, an image model).
    """
    require("gpt2_tiny")
    quiet()  # offline, and no "Loading weights" bar of transformers' own
    path = Path(path)
    if not path.is_dir():
        raise InputError(
            f"No model directory {str(path)!r}. Fix: train one with "
            f"tinkerlab autocomplete train FILE --out {path}"
        )
    config_file = path / "config.json"
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError(
            f"{str(path)!r} is not a Hugging Face model directory: no readable config.json. "
            "Fix: point at a directory written by save_pretrained (or by "
            "tinkerlab autocomplete train)."
        ) from None
    architectures = config.get("architectures") or []
    causal = _causal_architectures()
    from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES

    if (architectures and not set(architectures) & causal) or (
        not architectures and config.get("model_type") not in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
    ):
        shown = ", ".join(architectures) or f"model_type {config.get('model_type')!r}"
        raise InputError(
            f"{str(path)!r} holds a {shown}, which is not a causal language model (it does not "
            "predict the next token). Fix: use a text-generation model such as GPT-2, or "
            "train one with tinkerlab autocomplete train FILE --out DIR."
        )
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model: Any
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError, KeyError) as error:
        raise InputError(
            f"Cannot load the model in {str(path)!r}: {error} Fix: the directory needs "
            "config.json, the weights (model.safetensors) and the tokenizer files."
        ) from None
    model.eval()
    context = getattr(model.config, "n_positions", None) or getattr(
        model.config, "max_position_embeddings", None
    )
    return CausalLM(path=path, model=model, tokenizer=tokenizer, context=context)


def evaluate(lm: CausalLM, text: str, block_size: int | None = None) -> float:
    """Mean next-token loss (nats per token) of *lm* on *text*, in non-overlapping windows.

    The number :func:`train_autocomplete` reports as ``val_loss`` for its validation
    text; ``math.exp`` of it is the perplexity.
    """
    import torch

    block = block_size or lm.context or 512
    ids = torch.tensor(lm.tokenizer(text)["input_ids"], dtype=torch.long)  # (N,)
    blocks = _windows(ids, block)  # (n, T)
    if len(blocks) == 0:
        raise InputError(
            f"The text has {len(ids)} tokens, fewer than one window of {block}. "
            "Fix: give a longer text or a smaller block_size."
        )
    return _mean_loss(lm.model, blocks)


def generate(
    lm: CausalLM,
    prompt: str,
    *,
    max_new_tokens: int | None = None,
    temperature: float = 0.8,
    top_k: int = 40,
    num: int = 1,
    seed: int | None = None,
) -> list[str]:
    """Continue *prompt* with *lm*; returns *num* completions (the new text only).

    Parameters
    ----------
    max_new_tokens : int, optional
        Tokens to add; by default 40, or half the model's context if that is shorter.
    temperature : float, default=0.8
        Below 1 picks likely tokens more often, above 1 takes more risks; 0 always picks
        the most likely token (greedy, the same answer every time).
    top_k : int, default=40
        Sample only among the k most likely tokens (0: among all).
    num : int, default=1
        Completions to return.
    seed : int, optional
        Seeds the sampling: the same seed gives the same completions.
    """
    import torch

    if max_new_tokens is None:
        max_new_tokens = min(40, lm.context // 2) if lm.context else 40
    if not prompt.strip():
        raise InputError('The prompt is empty. Fix: give the start of a text, e.g. "the team".')
    if max_new_tokens < 1 or num < 1 or top_k < 0 or temperature < 0:
        raise InputError(
            "max_new_tokens and num must be >= 1, top_k and temperature >= 0. Got "
            f"max_new_tokens={max_new_tokens}, num={num}, top_k={top_k}, "
            f"temperature={temperature} instead."
        )
    if lm.context is not None and max_new_tokens >= lm.context:
        raise InputError(
            f"max_new_tokens={max_new_tokens} does not fit: this model reads at most "
            f"{lm.context} tokens. Fix: --max-new-tokens {lm.context // 2}"
        )
    encoded = lm.tokenizer(prompt, return_tensors="pt")
    ids, mask = encoded["input_ids"], encoded["attention_mask"]  # (1, P)
    if lm.context is not None:  # keep the prompt's end, so prompt + completion fit
        keep = lm.context - max_new_tokens
        ids, mask = ids[:, -keep:], mask[:, -keep:]
    if seed is not None:
        torch.manual_seed(seed)
    sampling = temperature > 0
    with torch.no_grad():
        output = lm.model.generate(
            input_ids=ids,
            attention_mask=mask,
            max_new_tokens=max_new_tokens,
            do_sample=sampling,
            temperature=temperature if sampling else None,
            top_k=top_k if sampling else None,
            num_return_sequences=num,
            pad_token_id=lm.tokenizer.pad_token_id or lm.tokenizer.eos_token_id,
        )  # (num, P + new)
    new = output[:, ids.shape[1] :]  # (num, new)
    return [str(lm.tokenizer.decode(row, skip_special_tokens=True)) for row in new]


__all__ = [
    "END_OF_TEXT",
    "TRAINING_FILE",
    "CausalLM",
    "TrainResult",
    "TrainSettings",
    "evaluate",
    "generate",
    "load_causal_lm",
    "read_text",
    "split_text",
    "train_autocomplete",
    "train_tokenizer",
]
