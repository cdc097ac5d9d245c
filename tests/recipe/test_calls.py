"""Calls build objects and write code; the two must describe the same thing."""

from __future__ import annotations

from sklearn.preprocessing import StandardScaler

from tinkerlab.recipe._calls import Call, Program, Var, literal


def test_call_builds_and_writes_the_same_object():
    call = Call("sklearn.impute.SimpleImputer", {"strategy": "median"})
    built = call.build()
    assert built.get_params()["strategy"] == "median"
    assert call.code() == 'SimpleImputer(strategy="median")'
    assert call.imports() == {"from sklearn.impute import SimpleImputer"}


def test_program_code_executes_to_an_equal_pipeline():
    program = Program(
        (
            ("scale", Call("sklearn.preprocessing.StandardScaler")),
            ("pipeline", Call("sklearn.pipeline.Pipeline", args=([("scale", Var("scale"))],))),
        )
    )
    namespace: dict[str, object] = {}
    exec("\n".join(sorted(program.imports())) + "\n" + program.code(), namespace)
    from_code = namespace["pipeline"]
    built = program.build()
    assert repr(from_code) == repr(built)
    assert isinstance(built.steps[0][1], StandardScaler)


def test_long_calls_are_split_over_lines_and_still_valid_python():
    call = Call("sklearn.ensemble.RandomForestClassifier", {f"p{i}": "x" * 10 for i in range(8)})
    code = call.code()
    assert "\n" in code
    compile(code, "<test>", "eval")


def test_literal_uses_double_quotes_and_round_trips():
    for value in ["plain", "it's", 'say "hi"', "back\\slash", 3, 0.1, None, True]:
        assert eval(literal(value)) == value
    assert literal("plain") == '"plain"'
