"""Progress: journal-only checks run on every look, the next lab, phases, hints, checklist."""

from __future__ import annotations

import tinkerlab as tl
from tinkerlab.journal import Journal


def test_an_empty_journal_starts_at_lab_1_1():
    now = tl.path.status(db="sqlite://")
    assert now.next_lab.id == "1.1"
    assert now.done == {}
    assert now.day == 1
    data = now.to_dict()
    assert data["command"] == "tinkerlab datasets"
    assert [p["name"] for p in data["phases"]][:3] == ["Run", "Tinker", "Understand"]


def test_work_done_without_path_check_counts(worked_copy):
    url = worked_copy["url"]
    now = tl.path.status(db=url)
    # a built-in run (1.1) and a predicted model-parameter sweep (2.1); not the file run,
    # the script (1.3 runs only when asked), nor a learning curve
    assert {"1.1", "2.1"} <= set(now.done)
    assert "1.3" not in now.done
    assert "2.2" not in now.done
    assert now.next_lab.id == "1.2"
    with Journal(url) as journal:
        recorded = {e.lab_id: e.evidence for e in journal.labs_done()}
    assert "run #" in recorded["1.1"][0]


def test_next_step_is_plain_data_for_the_web_lab(worked_copy):
    with Journal(worked_copy["url"]) as journal:
        data = tl.path.next_step(journal)
    assert data["next"]["id"] == "1.2"
    assert data["next"]["commands"]["web"] == "/data"
    assert data["labs"] == len(tl.path.labs())
    assert data["labs_done"] >= 2
    assert data["test"]["answers"] == 0
    import json

    json.dumps(data)  # JSON-able as it is


def test_hints_go_one_at_a_time_and_stop_at_the_last():
    lab = tl.path.lab("1.3")
    first = tl.path.hint("1.3")
    assert first.startswith(f"Hint 1 of {len(lab.hints)}")
    assert "tinkerlab path hint 1.3 2" in first
    last = tl.path.hint("1.3", 99)
    assert last.startswith(f"Hint {len(lab.hints)} of")
    assert "next:" not in last


def test_the_checklist_is_met_only_with_evidence(worked_copy, noisy_csv):
    url = worked_copy["url"]
    before = {i.statement: i for i in tl.path.checklist(db=url)}
    own = "I can train and evaluate a model on data of my own"
    assert not before[own].met
    assert before[own].command.startswith("tinkerlab run")
    assert not before["I predict before I look"].met  # one predicted experiment of three
    tl.run(noisy_csv, target="label", model="naive_bayes", db=url)
    after = {i.statement: i for i in tl.path.checklist(db=url)}
    assert after[own].met
    assert "noisy.csv" in after[own].evidence
    overfit = "I can recognise overfitting in my own results"
    assert not after[overfit].met  # found, but its card is not read yet
    with Journal(url) as journal:
        journal.record_card_read("overfitting")
    assert {i.statement: i for i in tl.path.checklist(db=url)}[overfit].met


def test_an_overfitting_run_counts_like_lab_3_1_does(tmp_path, noisy_csv):
    # lab 3.1 passes on a run that overfits: the checklist must accept the same evidence
    url = f"sqlite:///{tmp_path / 'j.sqlite'}"
    run = tl.run(noisy_csv, target="label", model="decision_tree", db=url)
    assert "overfitting" in {f.id for f in run.phenomena}
    with Journal(url) as journal:
        journal.record_card_read("overfitting")
    item = {i.statement: i for i in tl.path.checklist(db=url)}[
        "I can recognise overfitting in my own results"
    ]
    assert item.met
    assert item.evidence == f"overfitting in run #{run.id}, card overfitting read"


def test_a_run_export_is_not_a_project_taken_to_a_portfolio(worked_copy, tmp_path):
    url = worked_copy["url"]
    statement = "I can take a project from problem to portfolio"
    tl.path.export(worked_copy["run"], tmp_path / "run-portfolio", db=url)
    assert not {i.statement: i for i in tl.path.checklist(db=url)}[statement].met
    with Journal(url) as journal:
        journal.record_analysis(
            "export", "data/noisy.csv", {"project": "churn", "out": "/p/churn-portfolio"}
        )
    item = {i.statement: i for i in tl.path.checklist(db=url)}[statement]
    assert item.met
    assert item.evidence == "project churn exported to /p/churn-portfolio"


def test_a_pass_points_at_the_first_lab_not_done_yet(worked_copy):
    url = worked_copy["url"]
    with Journal(url) as journal:
        journal.record_lab_done("1.2", ["by hand, for the test"])
        journal.record_lab_done("1.3", ["by hand, for the test"])
    result = tl.path.check("1.1", db=url)  # the worked journal has a built-in run
    assert result.passed
    # 1.1 opens 1.2, done already; the journal's predicted max_depth sweep proves 2.1
    assert result.next_command == "tinkerlab path show 2.2"


def test_a_pass_skips_the_labs_the_journal_already_proves(worked_copy, noisy_csv):
    url = worked_copy["url"]
    tl.run(noisy_csv, target="label", model="naive_bayes", db=url)  # proves lab 1.2 too
    result = tl.path.check("1.1", db=url)
    assert result.passed
    assert result.next_command == "tinkerlab path show 1.3"  # not 1.2, which 1.1 opens
