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
