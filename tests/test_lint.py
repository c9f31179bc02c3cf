"""One test-and-lint entry point: ruff (settings in pyproject.toml) runs with the tests."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (it comes with the test extras: pip install -e '.[test]')")
    paths = [p for p in ("helpers", "scripts", "tests", "benchmarks", "tasks.py") if (ROOT / p).exists()]
    result = subprocess.run([ruff, "check", "--quiet", *paths], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _helper_imports() -> dict[str, set[str]]:
    """Each helpers module and the helpers modules it imports, at module level or inside functions."""
    import ast

    root = Path(__file__).resolve().parents[1] / "helpers"
    graph = {}
    for path in root.rglob("*.py"):
        name = ".".join(path.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__")
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                found |= {target} | {f"{target}.{a.name}" for a in node.names}
        graph[name] = found
    return {m: {t for t in targets if t in graph and t != m} for m, targets in graph.items()}


def test_the_view_type_has_its_own_module_and_the_view_builders_do_not_import_each_other():
    """views, glossary, figures, timeline, charts, textstats and historians all use View; none of them may need
    another of them just for the type (the import circle issue #14 describes)."""
    graph = _helper_imports()
    assert graph["helpers.view"] <= {"helpers.html", "helpers.theme"}
    for module in ("glossary", "figures", "timeline", "charts", "textstats", "historians", "figcache"):
        assert "helpers.views" not in graph[f"helpers.{module}"], module
