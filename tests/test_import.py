"""``import iki_core`` has no side effects: no data file, no socket, no pint until first use.

Each check runs in a fresh interpreter (a subprocess), so what this test process has already
imported cannot hide what the import does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import iki_core

PACKAGE_DIR = Path(iki_core.__file__).resolve().parent

PROBE = textwrap.dedent(
    """
    import json, sys

    events = []

    def hook(event, args):
        if event == "open":
            events.append(["open", str(args[0])])
        elif event.startswith(("socket.", "subprocess.", "os.system", "urllib.", "http.")):
            events.append([event, repr(args)[:200]])

    sys.addaudithook(hook)
    import iki_core  # noqa: F401
    hooked = list(events)
    modules = sorted(sys.modules)
    print(json.dumps({"events": hooked, "modules": modules}))
    """
)


def run_probe(code: str) -> dict[str, list[str] | list[list[str]]]:
    result = subprocess.run(
        [sys.executable, "-X", "utf8", "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=PACKAGE_DIR.parent,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no warnings either
    data: dict[str, list[str] | list[list[str]]] = json.loads(result.stdout)
    return data


def test_import_reads_only_code() -> None:
    data = run_probe(PROBE)
    roots = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    roots.add(PACKAGE_DIR)
    opened = [e[1] for e in data["events"] if isinstance(e, list) and e[0] == "open"]
    assert opened, "the audit hook saw no import at all"
    for name in opened:
        path = Path(name)
        # Code only: modules, their bytecode and extension modules (no data file, no units.txt).
        assert path.suffix in {".py", ".pyc", ".so"}, name
        resolved = path.resolve()
        assert any(resolved.is_relative_to(root) for root in roots), name
    others = [e for e in data["events"] if isinstance(e, list) and e[0] != "open"]
    assert others == []  # no socket, no subprocess


def test_import_does_not_build_the_unit_registry() -> None:
    modules = run_probe(PROBE)["modules"]
    assert "iki_core" in modules
    assert "pint" not in modules  # the registry is built lazily, on first use


def test_first_use_reads_the_definitions_file() -> None:
    code = PROBE + textwrap.dedent(
        """
        events.clear()
        iki_core.parse_quantity("2 lusin")
        assert "pint" in sys.modules
        print(json.dumps([e[1] for e in events if e[0] == "open"]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    opened = json.loads(result.stdout.splitlines()[-1])
    assert str(PACKAGE_DIR / "data" / "units.txt") in [str(Path(p).resolve()) for p in opened]
