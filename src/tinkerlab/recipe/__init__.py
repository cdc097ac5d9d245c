"""Recipes: what to run. The frozen Recipe, the model registry, the pipeline builder and
the code generator that writes the script a learner owns.

>>> from tinkerlab.recipe import MODELS
>>> "random_forest" in MODELS
True
"""

from __future__ import annotations

from tinkerlab.recipe._codegen import PRECISION, render_notebook, render_script
from tinkerlab.recipe._metrics import AVERAGES, Metric, average_of, explain_metrics, metrics_for
from tinkerlab.recipe._pipeline import build_pipeline, build_program, warm_text_features
from tinkerlab.recipe._prepare import LOADING, check_replay, load_settled, recipe_for
from tinkerlab.recipe._recipe import (
    RECIPE_FORMAT,
    TEXT_FEATURES,
    Preprocessing,
    Recipe,
    make_recipe,
)
from tinkerlab.recipe._replay import load_recipe_data
from tinkerlab.recipe._steps import (
    STEP_KINDS,
    DateParts,
    FeatureStep,
    TextLength,
    check_step_values,
    inputs_of,
    parse_step,
)
from tinkerlab.recipe.models import (
    MODELS,
    Knob,
    ModelSpec,
    default_model,
    get_model,
    models_for,
    parse_settings,
)

__all__ = [
    "AVERAGES",
    "LOADING",
    "MODELS",
    "PRECISION",
    "RECIPE_FORMAT",
    "STEP_KINDS",
    "TEXT_FEATURES",
    "DateParts",
    "FeatureStep",
    "Knob",
    "Metric",
    "ModelSpec",
    "Preprocessing",
    "Recipe",
    "TextLength",
    "average_of",
    "build_pipeline",
    "build_program",
    "check_replay",
    "check_step_values",
    "default_model",
    "explain_metrics",
    "get_model",
    "inputs_of",
    "load_recipe_data",
    "load_settled",
    "make_recipe",
    "metrics_for",
    "models_for",
    "parse_settings",
    "parse_step",
    "recipe_for",
    "render_notebook",
    "render_script",
    "warm_text_features",
]
