"""Record this project's command-line entry points in .venv, so `flask dispatch plan` needs no app.

    .venv/bin/python scripts/venv_commands.py        (scripts/setup-venv runs it)

Flask finds plugin commands through the entry points of installed distributions (group
`flask.commands`), before and without loading the app. The project is not installed as a package
(it runs from its folder), so this writes what an install would have left for that purpose: a
`relief_stock-<version>.dist-info` with the entry points of pyproject.toml, and a .pth that puts
the folder above the venv (the project, where setup-venv creates .venv) on the import path. Both
name no absolute path, so a copied venv points at its own project. Idempotent.
"""

import shutil
import sys
import sysconfig
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    site = Path(sysconfig.get_paths()["purelib"])
    name = project["name"].replace("-", "_")
    for old in site.glob(f"{name}-*.dist-info"):
        shutil.rmtree(old)
    info = site / f"{name}-{project['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n", encoding="utf-8"
    )
    lines = []
    for group, entries in project.get("entry-points", {}).items():
        lines.append(f"[{group}]")
        lines += [f"{key} = {target}" for key, target in entries.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (info / "INSTALLER").write_text("scripts/venv_commands.py\n", encoding="utf-8")
    (info / "RECORD").write_text("", encoding="utf-8")
    # A .pth line that starts with "import" is run at start-up: the project is the venv's parent.
    (site / f"{name}.pth").write_text(
        "import os, sys; _p = os.path.dirname(sys.prefix); _p in sys.path or sys.path.append(_p)\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    sys.exit(main())
