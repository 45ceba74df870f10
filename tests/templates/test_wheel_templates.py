"""The wheel ships every template file (dotfiles, ``.jinja`` files with templated names,
``copier.yml`` and ``VERSION``), so ``momentum new`` works from an installed package."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from momentum.templates.template_repo import TEMPLATES_DIR
from tests.unit.test_wheel_install import _run, _uv

pytestmark = pytest.mark.slow


def test_every_template_file_is_in_the_wheel(tmp_path: Path) -> None:
    _run(_uv(), "build", "--wheel", "--out-dir", tmp_path)
    [wheel] = tmp_path.glob("momentum_coach-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n for n in archive.namelist() if n.startswith("momentum/templates/")}
    expected = {
        "momentum/templates/" + p.relative_to(TEMPLATES_DIR).as_posix()
        for kind in ("coach", "plugin")
        for p in (TEMPLATES_DIR / kind).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected <= shipped, sorted(expected - shipped)
    assert "momentum/templates/coach/project/.gitignore" in shipped
