"""The report outputs, in one table: each a name, a writer and the file suffixes it owns.

Every output is written the same way: ``writer(report, out)`` writes a
:class:`~iki_core.report.Report` to the text stream ``out`` (an output that writes bytes,
such as a spreadsheet, writes them to ``out.buffer``). ``iki report --format NAME`` picks
one by name; a file name picks one by its suffix. A host application adds its own with
:func:`register_output`, without touching iki_core:

>>> import io
>>> def count(report, out):
...     out.write(f"{len(report.achievements)}\\n")
>>> register_output("count", count, suffixes=[".count"])
Output(name='count', suffixes=('.count',))
>>> output_for("q3.count").name, "count" in output_names()
('count', True)
>>> unregister_output("count")
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import Final, TextIO

import attrs

from iki_core.errors import InvalidValueError

from .csv import write_csv
from .files import write_html_report, write_pdf_report, write_xlsx_report
from .model import Report
from .rows import write_json
from .table import write_table

__all__ = [
    "Output",
    "Writer",
    "get_output",
    "output_for",
    "output_names",
    "register_output",
    "unregister_output",
]

Writer = Callable[[Report, TextIO], None]
"""What an output does: write the report to a text stream."""

_NAME: Final = re.compile(r"^[a-z][a-z0-9_-]*$")


def _suffixes(value: Iterable[str]) -> tuple[str, ...]:
    out = []
    for s in value:
        if not isinstance(s, str) or not re.fullmatch(r"\.[A-Za-z0-9_.-]+", s):
            raise InvalidValueError(
                field="Output.suffixes", expected="suffixes such as '.csv'", value=s
            )
        out.append(s.lower())
    return tuple(out)


def _name(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _NAME.match(value):
        raise InvalidValueError(
            field=f"Output.{attribute.name}",
            expected="a lower-case name such as 'xlsx'",
            value=value,
        )


@attrs.frozen
class Output:
    """A report output: its ``name`` (``--format NAME``), its ``writer``, the file
    ``suffixes`` it owns (``".csv"``), and whether it writes bytes (``binary``: to
    ``out.buffer``; the command refuses to write those to a terminal)."""

    name: str = attrs.field(validator=_name)
    writer: Writer = attrs.field(repr=False)
    suffixes: tuple[str, ...] = attrs.field(default=(), converter=_suffixes)
    binary: bool = attrs.field(default=False, repr=False)

    def write(self, report: Report, out: TextIO) -> None:
        """Write ``report`` to ``out``."""
        self.writer(report, out)


_lock = threading.Lock()
_outputs: dict[str, Output] = {
    o.name: o
    for o in (
        Output("table", write_table, (".txt",)),
        Output("json", write_json, (".json",)),
        Output("csv", write_csv, (".csv",)),
        Output("xlsx", write_xlsx_report, (".xlsx",), binary=True),
        Output("html", write_html_report, (".html", ".htm")),
        Output("pdf", write_pdf_report, (".pdf",), binary=True),
    )
}


def register_output(
    name: str, writer: Writer, *, suffixes: Iterable[str] = (), binary: bool = False
) -> Output:
    """Add (or replace) the output ``name``; ``suffixes`` are the file suffixes it owns,
    ``binary`` says it writes bytes to ``out.buffer``. A suffix another output owns is
    refused. Thread-safe; returns the :class:`Output`."""
    output = Output(name, writer, tuple(suffixes), binary)
    with _lock:
        for other in _outputs.values():
            taken = set(other.suffixes) & set(output.suffixes)
            if other.name != name and taken:
                raise InvalidValueError(
                    field=f"register_output({name!r}) suffixes",
                    expected=f"suffixes no other output owns ({other.name!r} owns them)",
                    value=sorted(taken),
                )
        _outputs[name] = output
    return output


def unregister_output(name: str) -> None:
    """Remove the output ``name`` (a host application's, or a shipped one it replaces)."""
    with _lock:
        if _outputs.pop(name, None) is None:
            raise _unknown(name)


def output_names() -> tuple[str, ...]:
    """The names of the outputs there are, in the order they were registered."""
    return tuple(_outputs)


def _unknown(name: object) -> InvalidValueError:
    return InvalidValueError(
        field="output", expected="one of " + ", ".join(repr(n) for n in _outputs), value=name
    )


def get_output(name: str) -> Output:
    """The output called ``name``.

    >>> get_output("xml")
    Traceback (most recent call last):
    ...
    iki_core.errors.InvalidValueError: output: expected one of 'table', 'json', ..., got 'xml'
    """
    try:
        return _outputs[name]
    except KeyError:
        raise _unknown(name) from None


def output_for(path: str | PurePath) -> Output:
    """The output that owns the suffix of ``path`` (``"q3.csv"``: ``csv``), in any case.

    >>> output_for("laporan/q3.JSON").name
    'json'
    """
    suffix = PurePath(path).suffix.lower()
    for output in _outputs.values():
        if suffix in output.suffixes:
            return output
    owned = sorted(s for o in _outputs.values() for s in o.suffixes)
    raise InvalidValueError(
        field="output file", expected="a name ending in " + ", ".join(owned), value=str(path)
    )
