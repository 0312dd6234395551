"""Scenario and experiment files are data, never code; results are Parquet and JSON, never pickles.

(The UI's promises — 127.0.0.1, path traversal, upload caps — are tested with the UI.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from gigsim.experiments.run import run_scenario, write_run
from gigsim.scenario import load_scenario

PACKAGE = Path(__file__).resolve().parent.parent / "gigsim"
ROOT = PACKAGE.parent

CODE_LOOKING_STRINGS = [
    "__import__('os').system('touch {marker}')",
    "exec(open('{marker}', 'w').write('x'))",
    "{{{{ ''.__class__.__mro__[1].__subclasses__() }}}}",
    "!!python/object/apply:os.system ['touch {marker}']",
    "$(touch {marker})",
    "`touch {marker}`",
]


@pytest.mark.parametrize("template", CODE_LOOKING_STRINGS)
def test_code_in_a_scenario_file_stays_a_string(tmp_path, template):
    marker = tmp_path / "pwned"
    payload = template.format(marker=marker)
    path = tmp_path / "evil.toml"
    quoted = payload.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'name = "{quoted}"\ndescription = "{quoted}"\n[population]\nworkers = 200\nclients = 100\n',
                    encoding="utf-8")
    sc = load_scenario(path)
    assert sc.name == payload and sc.description == payload
    result = run_scenario(sc, days=2, source=str(path))
    write_run(result, tmp_path / "out")
    assert not marker.exists()
    assert result.manifest["scenario_name"] == payload


def test_a_code_string_where_a_number_belongs_is_refused_not_evaluated(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.toml"
    path.write_text(f'[population]\nworkers = "__import__(\'os\').system(\'touch {marker}\') or 5"\n',
                    encoding="utf-8")
    from gigsim.errors import ScenarioError

    with pytest.raises(ScenarioError, match="population.workers: must be a whole number"):
        load_scenario(path)
    assert not marker.exists()


# --------------------------------------------------------------------------- the package never loads code or pickles

FORBIDDEN_MODULES = {"pickle", "cPickle", "cloudpickle", "dill", "marshal", "shelve", "joblib"}
FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__"}
FORBIDDEN_METHODS = {"read_pickle", "to_pickle", "load_pickle"}


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
            found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else (
                node.func.attr if isinstance(node.func, ast.Attribute) else "")
            if (isinstance(node.func, ast.Name) and name in FORBIDDEN_BUILTINS) or name in FORBIDDEN_METHODS:
                found.append(f"call {name}()")
            for kw in node.keywords:  # numpy.load(..., allow_pickle=True) and the like
                if kw.arg == "allow_pickle" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                    found.append("allow_pickle")
            if name in {"load", "safe_load", "unsafe_load", "full_load"} and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "yaml":
                found.append("yaml.load")
    return [f"{path.relative_to(ROOT)}: {v}" for v in found]


def test_the_package_never_pickles_evaluates_or_executes():
    sources = _sources()
    assert len(sources) > 10
    problems = [v for path in sources for v in _violations(path)]
    assert problems == []


def test_the_scan_would_notice(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import pickle\nfrom cloudpickle import loads\nimport numpy as np\n"
                   "x = eval('1')\nimport re\nre.compile('a')\nnp.load('f.npy', allow_pickle=True)\n", encoding="utf-8")
    found = _violations_in(bad)
    assert sorted(found) == sorted(["import pickle", "from cloudpickle import ...", "call eval()", "allow_pickle"])


def _violations_in(path: Path) -> list[str]:
    tree_path = path
    original = ROOT
    try:
        globals()["ROOT"] = path.parent
        return [v.split(": ", 1)[1] for v in _violations(tree_path)]
    finally:
        globals()["ROOT"] = original


def test_a_run_writes_only_parquet_and_json(tmp_path):
    sc = load_scenario(ROOT / "scenarios" / "baseline.toml").rescaled(200)
    out = write_run(run_scenario(sc, days=2), tmp_path / "out")
    suffixes = {p.suffix for p in out.iterdir()}
    assert suffixes == {".parquet", ".json"}
    for p in out.iterdir():
        head = p.read_bytes()[:4]
        assert head == b"PAR1" if p.suffix == ".parquet" else head.lstrip()[:1] == b"{"
