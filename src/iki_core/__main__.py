"""``python -m iki_core``: the ``iki`` command (see :mod:`iki_core.cli`)."""

from __future__ import annotations

import sys

from iki_core.cli import main

if __name__ == "__main__":
    sys.exit(main())
