"""The phenomena tinkerlab can spot in an experiment's results, by stable id.

Detectors report findings under these ids; theory cards name them in ``unlocked_by`` and
``shows``. The ids are part of the journal's and ``--json``'s vocabulary: never rename one.

>>> PHENOMENA["plateau"]
'Diminishing returns: past some value, turning the knob further barely changes the score.'
"""

from __future__ import annotations

#: Phenomenon id -> one plain sentence saying what it is.
PHENOMENA: dict[str, str] = {
    "overfitting": "The training score keeps rising while the validation score stalls or "
    "falls: the model learns the training rows' noise.",
    "underfitting": "Training and validation scores are both low: the model is too simple "
    "or too constrained to capture the pattern.",
    "sweet_spot": "The validation score peaks at a value inside the range and is worse on "
    "both sides of it.",
    "plateau": "Diminishing returns: past some value, turning the knob further barely "
    "changes the score.",
    "noise_dominated": "The differences between values are within the run-to-run spread: "
    "they may be chance.",
    "high_variance": "A learning curve with a wide gap between the training and the "
    "validation score: the model depends a lot on which rows it saw.",
    "high_bias": "A learning curve where training and validation scores meet low: the "
    "model is too simple for the data.",
    "more_data_helps": "The validation score is still rising at the largest training size.",
    "more_data_wont_help": "The validation score stopped rising well before the largest "
    "training size.",
    "useless_feature": "Leaving a feature out does not change the score.",
    "harmful_feature": "Leaving a feature out improves the score.",
    "leakage": "A feature (or the whole model) scores implausibly well, as if the answer "
    "were among the inputs.",
    "accuracy_paradox": "Accuracy close to the majority-class baseline on imbalanced "
    "classes: a high number that says little.",
    "scaling_sensitive": "The score changes a lot depending on whether features are standardised.",
    "divergence": "The loss grows or becomes NaN as the learning rate grows: the steps overshoot.",
    "label_noise_sensitive": "The validation score falls quickly as training labels are corrupted.",
    "overtraining": "Over epochs, a net's validation score peaks and then falls while its "
    "training score holds: early stopping would stop near the peak.",
    "not_converged": "At a too-small learning rate a net fits neither its training rows nor "
    "new ones: its steps have not got anywhere when the epochs run out.",
    "vanishing_gradients": "A deeper net fits even its training rows worse than a shallower "
    "one: the gradient fades on its way down through the layers.",
    "batch_too_large": "At a fixed learning rate and number of epochs, a net with the "
    "largest batch fits even its training rows worse: larger batches make fewer updates.",
}

#: Phenomenon id -> the theory card to read when it is spotted (its ``unlocked_by`` names it).
READ_NEXT: dict[str, str] = {
    "overfitting": "overfitting",
    "underfitting": "underfitting",
    "sweet_spot": "bias_variance",
    "plateau": "diminishing_returns",
    "noise_dominated": "variance_confidence_intervals",
    "high_variance": "bias_variance",
    "high_bias": "learning_curves",
    "more_data_helps": "learning_curves",
    "more_data_wont_help": "diminishing_returns",
    "useless_feature": "feature_selection",
    "harmful_feature": "feature_selection",
    "leakage": "data_leakage",
    "accuracy_paradox": "class_imbalance",
    "scaling_sensitive": "feature_scaling",
    "divergence": "gradient_descent",
    "label_noise_sensitive": "label_noise",
    "overtraining": "early_stopping",
    "not_converged": "learning_rate_too_small",
    "vanishing_gradients": "vanishing_gradients",
    "batch_too_large": "batch_size",
}


def phenomenon_title(phenomenon: str) -> str:
    """A phenomenon id in words: ``more_data_wont_help`` -> "more data won't help"."""
    return phenomenon.replace("_", " ").replace("wont", "won't")


__all__ = ["PHENOMENA", "READ_NEXT", "phenomenon_title"]
