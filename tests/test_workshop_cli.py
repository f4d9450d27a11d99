"""``python -m conflicts workshop ...`` against real databases."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conflicts import workshops as ws
from conflicts.cli import main
from conflicts.reports import export
from conflicts.workshops import lifecycle
from tests.helpers import env_store, grant_for

ROOT = Path(__file__).resolve().parent.parent


def test_create_json_prints_exactly_three_fields(db_env, workshop_catalogue, capsys):
    assert (
        main(["workshop", "create", str(workshop_catalogue), "--title", "Runda 1", "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"code", "join_path", "facilitator_key"}
    assert out["join_path"] == f"/join?code={out['code']}"
    w = ws.get_workshop(out["code"], store=env_store())  # the environment's database
    assert w.title == "Runda 1" and len(w.items) == 10
    assert ws.check_facilitator(w, out["facilitator_key"], store=env_store())


def test_create_human_output_and_bundled_name(db_env, workshop_catalogue, capsys, monkeypatch):
    monkeypatch.setattr(lifecycle, "bundled_catalogues", lambda: {"small": workshop_catalogue})
    assert main(["workshop", "create", "small"]) == 0
    out = capsys.readouterr().out
    assert "join code:" in out and "/join?code=" in out and "facilitator key:" in out
    [w] = ws.list_workshops(store=env_store())
    assert w.catalogue_name == "small" and w.code in out


def test_create_errors_exit_1(db_env, tmp_path, capsys):
    assert main(["workshop", "create", "no-such-catalogue"]) == 1
    assert "[unknown_catalogue]" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta: {title: X}\ngoals: []\n", encoding="utf-8")
    assert main(["workshop", "create", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "[invalid_catalogue]" in err


def test_export_json_and_csv(db_env, workshop_catalogue, capsys, tmp_path):
    created = ws.create_workshop(workshop_catalogue, store=env_store())
    code, item = created.workshop.code, created.workshop.items[0]
    ws.open_workshop(grant_for(code, env_store()), store=env_store())
    ws.open_voting(grant_for(code, env_store()), item.id, store=env_store())
    ws.join(code, "raw-cookie-id-123", "Secret Name", store=env_store())
    ws.cast_ballot(code, "raw-cookie-id-123", item.id, 4, store=env_store())

    assert main(["workshop", "export", code.lower(), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "raw-cookie-id-123" not in out and "Secret Name" not in out
    data = json.loads(out)
    assert data["ballots"][0]["value"] == 4 and data["items"][0]["mean"] == 4.0

    assert main(["workshop", "export", code, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "raw-cookie-id-123" not in out and "Secret Name" not in out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["record"] == "ballot" and rows[0]["participant"].startswith("p-")

    target = tmp_path / "out.json"
    assert main(["workshop", "export", code, "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["workshop"]["code"] == code


def test_export_errors(db_env, capsys):
    assert main(["workshop", "export", "AAAAAA"]) == 1
    assert "[unknown_code]" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["workshop", "export", "AAAAAA", "--format", "pdf"])
    assert info.value.code == 2


def test_list(db_env, workshop_catalogue, capsys):
    code = ws.create_workshop(workshop_catalogue, title="Listed", store=env_store()).workshop.code
    assert main(["workshop", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["code"] == code


def test_create_then_export_and_an_unreachable_database(
    db_env, workshop_catalogue, capsys, monkeypatch
):
    assert main(["workshop", "create", str(workshop_catalogue), "--json"]) == 0
    code = json.loads(capsys.readouterr().out)["code"]
    assert main(["workshop", "export", code, "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("record,")
    monkeypatch.setenv("CONFLICTS_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/none")
    assert main(["workshop", "list"]) == 1
    err = capsys.readouterr().err
    assert "[database_unavailable]" in err and "Traceback" not in err


# --- issue 5: the report, the summary and the catalogue written back --------------------------
def _voted_workshop(workshop_catalogue) -> str:
    created = ws.create_workshop(workshop_catalogue, title="Export round", store=env_store())
    code, item = created.workshop.code, created.workshop.items[0]
    ws.open_workshop(grant_for(code, env_store()), store=env_store())
    ws.open_voting(grant_for(code, env_store()), item.id, store=env_store())
    ws.join(
        code,
        "cli-voter-XK9-secret",
        "Hieronymus Cli-Name",
        "municipality",
        "local",
        store=env_store(),
    )
    ws.cast_ballot(code, "cli-voter-XK9-secret", item.id, 5, store=env_store())
    return code


@pytest.mark.parametrize("fmt", ["html", "md", "csv", "json", "yaml"])
def test_export_every_format_to_stdout_and_to_a_file(
    db_env, workshop_catalogue, capsys, tmp_path, fmt
):
    code = _voted_workshop(workshop_catalogue)
    assert main(["workshop", "export", code, "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out == export.export_workshop(
        grant_for(code, env_store()), fmt, store=env_store()
    ) or fmt in (
        "html",
        "md",
    )  # these carry a timestamp
    assert "cli-voter-XK9-secret" not in out and "Hieronymus" not in out
    first = {
        "html": "<!DOCTYPE html>",
        "md": "# Workshoprapport: Export round",
        "csv": "record,",
        "json": "{",
        "yaml": "# Small catalogue for the workshop/store tests",
    }[fmt]
    assert out.startswith(first)
    target = tmp_path / f"out.{fmt}"
    assert main(["workshop", "export", code, "--format", fmt, "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    written = target.read_text(encoding="utf-8")
    assert written.startswith(first) and len(written) > 100
    if fmt == "yaml":
        assert main(["validate", str(target)]) == 0
        assert "rank: 1" in written and "ballots: 1" in written


def test_export_help_names_every_format(capsys):
    with pytest.raises(SystemExit):
        main(["workshop", "export", "--help"])
    out = capsys.readouterr().out
    assert "{json,csv,html,md,yaml}" in out and "--output FILE" in out


def test_subprocess_export_html_to_a_file(database, workshop_catalogue, tmp_path):
    """The contract line: python -m conflicts workshop export CODE --format html --output FILE.

    The one smoke test in a subprocess (the entry point, exit code, real stdout/stderr); every
    other CLI test calls ``main(argv)`` in-process, as a subprocess costs seconds of imports. On
    SQLite only: the in-process tests cover both databases.
    """
    code = _voted_workshop(workshop_catalogue)
    env = {**os.environ, "CONFLICTS_DATABASE_URL": database, "PYTHONPATH": str(ROOT)}
    target = tmp_path / "report.html"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conflicts",
            "workshop",
            "export",
            code,
            "--format",
            "html",
            "--output",
            str(target),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Export round" in page
