"""From a Recipe to a scikit-learn Pipeline: preprocessing per column role, then the model.

The pipeline is described once, as a :class:`~tinkerlab.recipe._calls.Program`, and
that description is both built (for the run) and written out (for the script):

* numeric columns: fill empty cells with the median, then standardise when the model
  works with distances or gradients (kNN, SVM, linear models);
* categorical columns: fill with the most frequent value, then one-hot encode, pooling
  rare categories so a column with 500 values does not become 500 features (a run on a
  table with hundreds of them does both as one block, :mod:`._onehot`: the same numbers);
* text columns: TF-IDF, one vocabulary per column (empty text is filled with "" before);
  or, with ``text_features``, a pre-trained featuriser from :mod:`tinkerlab.pretrained`:
  MiniLM sentence embeddings (384 numbers per text, cached on disk) or VADER's four
  sentiment scores;
* new-feature steps (``preprocessing.add``, :mod:`._steps`): a block per ``log``/
  ``sqrt``/``bins``/``date``/``len`` step, and ``poly``/``inter`` at the end of the
  numeric pipeline;
* image datasets arrive already flattened: one numeric column per pixel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import RecipeError
from tinkerlab.options import name_of, spell
from tinkerlab.recipe._calls import Call, Program, Var
from tinkerlab.recipe._steps import numeric_steps, step_blocks
from tinkerlab.recipe.models import get_model

if TYPE_CHECKING:
    from tinkerlab.recipe._recipe import Recipe

#: Dense-only models turn TF-IDF into a dense matrix; cap its width to keep memory sane.
DENSE_TEXT_MAX_FEATURES = 2_000

#: The pre-trained text featurisers (``Preprocessing.text_features``): scikit-learn
#: transformers in :mod:`tinkerlab.pretrained`, each a registry entry there.
PRETRAINED_TEXT_FEATURES = {
    "minilm": "tinkerlab.pretrained.MiniLMEmbedder",
    "vader": "tinkerlab.pretrained.VaderScores",
}


def needs_scaling(recipe: Recipe) -> bool:
    """Whether numeric columns are standardised for this recipe."""
    scale = recipe.preprocessing.scale
    return scale == "standard" or (scale == "auto" and get_model(recipe.model).needs_scaling)


def model_call(recipe: Recipe) -> Call:
    """The estimator itself, with every parameter spelled out."""
    spec = get_model(recipe.model, recipe.task)
    _check_inputs(recipe)
    return Call(spec.class_path(recipe.task, recipe.impl), recipe.model_params())


def _check_inputs(recipe: Recipe) -> None:
    """A net that reads pixels gets numbers only; one that reads a text, one text only."""
    spec = get_model(recipe.model, recipe.task)
    if spec.inputs == "image" and (recipe.categorical or recipe.text or recipe.preprocessing.add):
        raise RecipeError(
            f"The model '{spec.name}' reads images: one numeric column per pixel and nothing "
            f"else. This recipe also has {_others(recipe)}. Fix: use an image dataset "
            f"(digits, faces), or {spell('model', 'mlp_torch')} for a table."
        )
    if spec.inputs == "text" and (
        len(recipe.text) != 1 or recipe.numeric or recipe.categorical or recipe.preprocessing.add
    ):
        raise RecipeError(
            f"The model '{spec.name}' reads the words of exactly one text column and nothing "
            f"else. This recipe has {len(recipe.text)} text column(s) and {_others(recipe)}. "
            "Fix: pick a text dataset (reviews) and keep one text column (the others in "
            f"{name_of('drop')}), or use {spell('model', 'logistic_regression')}, which takes "
            "any mix through TF-IDF."
        )


def _others(recipe: Recipe) -> str:
    counts = {
        "numeric": len(recipe.numeric),
        "categorical": len(recipe.categorical),
        "text": len(recipe.text),
        "new-feature step": len(recipe.preprocessing.add),
    }
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "no other columns"


#: How a sequence model's text is cut into word ids (:class:`tinkerlab.nets.TokenSequencer`):
#: the words kept of a longer text, by model; others keep their first 64. The GRU keeps a
#: review's last 32 words: its state after the last word decides, and its time grows with
#: the words it reads (half the reviews are longer than 53 words; docs/deep.md measures it).
SEQUENCE_CUT: dict[str, dict[str, Any]] = {"text_rnn": {"max_length": 32, "keep": "last"}}
SEQUENCE_MAX_LENGTH = 64


def needs_dense(recipe: Recipe) -> bool:
    """Whether the model gets a dense matrix: our NumPy twins and the models that need one
    always do; trees, faster on dense arrays, do unless the recipe has text columns (a
    dense TF-IDF matrix could be huge)."""
    spec = get_model(recipe.model)
    if recipe.impl == "scratch" or spec.needs_dense:
        return True
    return spec.prefers_dense and not recipe.text


def build_program(recipe: Recipe) -> Program:
    """The pipeline as named steps: ``numeric``, ``categorical``, ``preprocess``, ``model``,
    ``pipeline`` (only the steps the recipe's columns need)."""
    prep = recipe.preprocessing
    steps: list[tuple[str, Call]] = []
    blocks: list[Any] = []

    if recipe.numeric:
        numeric: list[Any] = [
            ("impute", Call("sklearn.impute.SimpleImputer", {"strategy": prep.numeric_impute}))
        ]
        if needs_scaling(recipe):
            numeric.append(("scale", Call("sklearn.preprocessing.StandardScaler")))
        numeric += numeric_steps(recipe)  # poly / inter: products of the scaled numbers
        steps.append(("numeric", Call("sklearn.pipeline.Pipeline", args=(numeric,))))
        blocks.append(("numeric", Var("numeric"), Var("NUMERIC")))

    if recipe.categorical:
        encoder = {
            "handle_unknown": "infrequent_if_exist",
            "max_categories": prep.max_categories,
            "sparse_output": not needs_dense(recipe),
        }
        impute: dict[str, str] = {"strategy": prep.categorical_impute}
        if prep.categorical_impute == "constant":
            impute["fill_value"] = "missing"
        categorical = [
            ("impute", Call("sklearn.impute.SimpleImputer", impute)),
            ("encode", Call("sklearn.preprocessing.OneHotEncoder", encoder)),
        ]
        steps.append(("categorical", Call("sklearn.pipeline.Pipeline", args=(categorical,))))
        blocks.append(("categorical", Var("categorical"), Var("CATEGORICAL")))

    for column in recipe.text:
        blocks.append((f"text_{column}", text_call(recipe), column))

    # New-feature steps (log, sqrt, bins, date parts, text length): one block each.
    blocks += step_blocks(recipe, scale=needs_scaling(recipe), dense=needs_dense(recipe))

    steps.append(
        (
            "preprocess",
            Call(
                "sklearn.compose.ColumnTransformer",
                {"sparse_threshold": 0.0 if needs_dense(recipe) else 0.3},
                args=(blocks,),
            ),
        )
    )
    steps.append(("model", model_call(recipe)))
    steps.append(
        (
            "pipeline",
            Call(
                "sklearn.pipeline.Pipeline",
                args=([("preprocess", Var("preprocess")), ("model", Var("model"))],),
            ),
        )
    )
    return Program(tuple(steps))


def text_call(recipe: Recipe) -> Call:
    """What turns one text column into numbers: TF-IDF, or a pre-trained featuriser."""
    prep = recipe.preprocessing
    if get_model(recipe.model).inputs == "text":  # a net that reads the words in order
        return Call(
            "tinkerlab.nets.TokenSequencer",
            {
                "max_tokens": prep.text_max_features,
                **SEQUENCE_CUT.get(recipe.model, {"max_length": SEQUENCE_MAX_LENGTH}),
            },
        )
    if prep.text_features != "tfidf":
        return Call(PRETRAINED_TEXT_FEATURES[prep.text_features])
    tfidf = {
        "max_features": _text_width(recipe),
        "ngram_range": (1, prep.text_ngram_max),
        "sublinear_tf": True,
    }
    return Call("sklearn.feature_extraction.text.TfidfVectorizer", tfidf)


def build_pipeline(recipe: Recipe) -> Any:
    """A new, unfitted scikit-learn Pipeline for *recipe*.

    Raises
    ------
    MissingExtraError
        The recipe's text featuriser is not installed; the message says the extra.
    """
    if recipe.preprocessing.text_features != "tfidf":
        from tinkerlab.pretrained import require

        require(recipe.preprocessing.text_features)  # before any fitting starts
    env = {"NUMERIC": list(recipe.numeric), "CATEGORICAL": list(recipe.categorical)}
    pipeline = build_program(recipe).build(env)
    from tinkerlab.recipe._onehot import WIDE_CATEGORICAL

    if len(recipe.categorical) >= WIDE_CATEGORICAL:
        _encode_as_one_block(pipeline)
    _long_lists_by_position(pipeline)
    return pipeline


def _long_lists_by_position(pipeline: Any) -> None:
    """Hand scikit-learn the blocks of :data:`~tinkerlab.recipe._columns.WIDE_COLUMNS`
    names or more as :class:`~tinkerlab.recipe._columns.ColumnsNamed`: the same columns,
    found by position instead of one ``list.index`` per name."""
    from tinkerlab.recipe._columns import WIDE_COLUMNS, ColumnsNamed

    preprocess = pipeline.named_steps["preprocess"]
    blocks = [
        (name, step, ColumnsNamed(columns))
        if isinstance(columns, list) and len(columns) >= WIDE_COLUMNS
        else (name, step, columns)
        for name, step, columns in preprocess.transformers
    ]
    preprocess.set_params(transformers=blocks)


def _encode_as_one_block(pipeline: Any) -> None:
    """Swap the ``categorical`` block's ``SimpleImputer`` + ``OneHotEncoder`` for a
    :class:`~tinkerlab.recipe._onehot.CategoryBlock` with their settings: the same
    numbers, without scikit-learn's column-by-column work (the script keeps the pair)."""
    from tinkerlab.recipe._onehot import CategoryBlock

    preprocess = pipeline.named_steps["preprocess"]
    blocks = []
    for name, step, columns in preprocess.transformers:
        if name == "categorical":
            impute, encode = step.named_steps["impute"], step.named_steps["encode"]
            step = CategoryBlock(
                strategy=impute.strategy,
                fill_value=impute.fill_value,
                max_categories=encode.max_categories,
                sparse_output=encode.sparse_output,
            )
        blocks.append((name, step, columns))
    preprocess.set_params(transformers=blocks)


def warm_text_features(recipe: Recipe, X: Any) -> None:
    """Encode every text of *X* once, here, when the recipe embeds texts with a sentence
    encoder: the embeddings land in the on-disk cache, so each fold, worker process and
    sweep value reads them back instead of encoding the same texts again."""
    if recipe.preprocessing.text_features != "minilm":
        return
    for column in recipe.text:
        text_call(recipe).build().fit(X[column]).transform(X[column])  # same settings as a fit


def _text_width(recipe: Recipe) -> int:
    width = recipe.preprocessing.text_max_features
    return min(width, DENSE_TEXT_MAX_FEATURES) if needs_dense(recipe) else width
