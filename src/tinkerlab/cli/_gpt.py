"""``tinkerlab gpt``: train the readable GPT (``tinkerlab.scratch``) on a text, sample it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tinkerlab.cli._output import Json, console, print_json, training_bar

app = typer.Typer(
    help="A byte-level GPT you can read (tinkerlab/scratch/_gpt.py): train it on any text "
    "file or the bundled reviews, then sample from it.",
    no_args_is_help=True,
)

_DEEP_FIX = "pip install -e '.[deep]' (or pip install 'tinkerlab[deep]')"


def _require_torch() -> None:
    import importlib.util

    from tinkerlab.pretrained import MissingExtraError

    missing = tuple(m for m in ("torch", "safetensors") if not importlib.util.find_spec(m))
    if missing:
        raise MissingExtraError(
            f"The GPT needs {', '.join(missing)}, which is not installed. Fix: {_DEEP_FIX}",
            extra="deep",
            modules=missing,
        )


def _read_text(source: str) -> bytes:
    """A text file's bytes, or the texts of a built-in dataset's text column, one a line."""
    from tinkerlab.exceptions import InputError

    path = Path(source)
    if path.is_file():
        return path.read_bytes()
    from tinkerlab.data import list_datasets, load

    if source in {info.name for info in list_datasets()}:
        dataset = load(source)
        texts = [c for c, info in dataset.columns.items() if info.role == "text"]
        if texts:
            column = dataset.frame[texts[0]].dropna().astype(str)
            return ("\n".join(column) + "\n").encode("utf-8")
    raise InputError(
        f"No text file {source!r} here, and it is not a built-in dataset with a text column. "
        "Fix: name a text file (tinkerlab gpt train notes.txt) or: tinkerlab gpt train reviews"
    )


@app.command("train")
def train(
    text: Annotated[str, typer.Argument(help="A text file, or 'reviews' (built-in texts).")],
    out: Annotated[Path, typer.Option(help="The folder to save the GPT into (new).")],
    layers: Annotated[int, typer.Option(min=1, max=12, help="Blocks stacked (n_layer).")] = 2,
    heads: Annotated[int, typer.Option(min=1, max=16, help="Heads per Block (n_head).")] = 2,
    embd: Annotated[int, typer.Option(min=8, max=768, help="Numbers per position.")] = 64,
    block_size: Annotated[int, typer.Option(min=4, max=1024, help="Context, in bytes.")] = 64,
    steps: Annotated[int, typer.Option(min=1, help="Optimiser steps.")] = 300,
    batch_size: Annotated[int, typer.Option(min=1, help="Windows per step.")] = 16,
    lr: Annotated[float, typer.Option(min=1e-6, max=1.0, help="AdamW's step size.")] = 3e-3,
    seed: Annotated[int, typer.Option(help="Seeds the weights and the windows drawn.")] = 0,
    db: Annotated[str | None, typer.Option(help="Journal file or URL.")] = None,
    json_out: Json = False,
) -> None:
    """Train a byte-level GPT on a text and save it as safetensors + JSON (never a pickle).

    Example: tinkerlab gpt train notes.txt --layers 4 --heads 4 --out models/gpt
    """
    from tinkerlab.exceptions import InputError

    _require_torch()
    if embd % heads:
        raise InputError(
            f"--embd ({embd}) must split evenly over --heads ({heads}). "
            f"Fix: --embd {heads * max(1, embd // heads)}"
        )
    from tinkerlab import _api
    from tinkerlab.scratch._gpt import GPTConfig
    from tinkerlab.scratch._gpt_train import save_gpt, train_gpt

    data = _read_text(text)
    config = GPTConfig(block_size=block_size, n_layer=layers, n_head=heads, n_embd=embd)
    interactive = not json_out and sys.stderr.isatty()
    with training_bar(interactive, "starting", "training the GPT") as on_step:
        result = train_gpt(
            data, config, steps=steps, batch_size=batch_size, lr=lr, seed=seed, on_step=on_step
        )
    save_gpt(result, out, text)
    summary: dict[str, Any] = {
        "out": str(out),
        "config": config.__dict__,
        "curve": result.curve,
        "n_bytes": result.n_bytes,
        "steps": steps,
        "lr": lr,
        "seed": seed,
    }
    with _api.open_journal(db) as store:
        entry = store.record_analysis("gpt", Path(text).name, summary)
    summary["journal_id"] = entry.id
    if json_out:
        print_json(summary)
        return
    last = result.curve[-1]
    console.print(
        f"Trained a GPT ({layers} layers, {heads} heads, {embd} numbers per byte) on "
        f"{result.n_bytes:,} bytes: train loss {last['train_loss']:.3f}, validation loss "
        f"{last['valid_loss']:.3f} nats per byte (a uniform guess: 5.545)."
    )
    console.print(f"Saved to {out} (model.safetensors + config.json). Journal analysis {entry.id}.")
    console.print(f'Next: tinkerlab gpt sample {out} "the "')


@app.command("sample")
def sample(
    model: Annotated[Path, typer.Argument(help="A folder saved by tinkerlab gpt train.")],
    prompt: Annotated[str, typer.Argument(help="The text to continue.")] = "",
    tokens: Annotated[int, typer.Option(min=1, max=10_000, help="Bytes to write.")] = 200,
    temperature: Annotated[
        float, typer.Option(min=0.01, max=10.0, help="Below 1 bolder, above 1 wilder.")
    ] = 0.8,
    top_k: Annotated[
        int, typer.Option(min=0, max=256, help="Keep the k likeliest bytes (0: all).")
    ] = 20,
    seed: Annotated[int, typer.Option(help="Seeds the draws.")] = 0,
    json_out: Json = False,
) -> None:
    """Continue a prompt with a saved GPT, byte by byte.

    Example: tinkerlab gpt sample models/gpt "the order" --temperature 0.8 --top-k 20
    """
    _require_torch()
    from tinkerlab.scratch._gpt_train import load_gpt
    from tinkerlab.scratch._gpt_train import sample as write

    gpt, _meta = load_gpt(model)
    text = write(gpt, prompt, tokens, temperature, top_k or None, seed)
    if json_out:
        print_json({"prompt": prompt, "text": text})
    else:
        console.print(text, markup=False, highlight=False)
