"""IKI sheets as CSV (docs/formats.md, "CSV").

One block per sheet: a header row (No, Sasaran, Indikator, Penjelasan, a column
per year, Sumber Data; Indonesian or English names, an optional Satuan column),
then the rows. Blocks are separated by one empty line. Comma or semicolon
separated, UTF-8 with or without a byte-order mark.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from iki_core._textio import sniff_delimiter
from iki_core.errors import IkiError
from iki_core.loaders._table import TableBuilder
from iki_core.loaders.context import ReadContext
from iki_core.model import Sheet, SourceText

__all__ = ["format_csv", "parse_csv", "sniff_delimiter"]


def parse_csv(text: str, ctx: ReadContext) -> tuple[Sheet, ...]:
    """The sheets of CSV text, one per block; diagnostics go to ``ctx``."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    sheets: list[Sheet] = []
    builder: TableBuilder | None = None
    first_line = 1
    start = 1
    try:
        for record in reader:
            line = start
            start = reader.line_num + 1
            if not record or not any(map(str.strip, record)):
                if builder is not None and not record:
                    _close(builder, first_line, ctx, sheets)
                    builder = None
                continue
            if builder is None:
                builder = TableBuilder(ctx, len(sheets) + 1)
                first_line = line
            builder.feed(line, record)
    except csv.Error as exc:
        ctx.note(start, "error", "csv-syntax", {"reason": exc})
    if builder is not None:
        _close(builder, first_line, ctx, sheets)
    return tuple(sheets)


def _close(builder: TableBuilder, line: int, ctx: ReadContext, sheets: list[Sheet]) -> None:
    objectives = builder.finish()
    if builder.rows == 0:
        ctx.note(line, "warning", "empty-sheet", sheet=builder.sheet, key="empty-block")
    try:
        sheets.append(
            Sheet(
                number=builder.sheet,
                position="",
                plan_years=builder.plan_years,
                objectives=objectives,
                source=SourceText(line, tuple(("header", r) for r in builder.header_rows)),
            )
        )
    except IkiError as exc:  # pragma: no cover - the builder keeps ids unique
        ctx.note(line, "error", "invalid-sheet", {"reason": exc}, sheet=builder.sheet)


def format_csv(sheets: Sequence[Sheet], *, delimiter: str = ",") -> str:
    """The sheets as CSV blocks, readable by :func:`parse_csv`.

    A Satuan column is added to a sheet whose targets include a bare number kept
    in a unit ("12" of a count in kali), so that reading it back gives the same unit.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for n, sheet in enumerate(sheets):
        if n:
            out.write("\n")
        years = list(sheet.plan_years) or sorted(
            {t.year for i in sheet.indicators for t in i.targets}
        )
        needs_unit = any(
            t.value is not None and not ind.unit.is_bare and t.text.strip()[-1:].isdigit()
            for ind in sheet.indicators
            for t in ind.targets
        )
        header = ["No", "Sasaran", "Indikator", "Penjelasan"]
        if needs_unit:
            header.append("Satuan")
        writer.writerow([*header, *(str(y) for y in years), "Sumber Data"])
        for objective in sheet.objectives:
            for k, ind in enumerate(objective.indicators):
                row = [objective.number, objective.name] if k == 0 else ["", ""]
                row += [ind.name, ind.explanation]
                if needs_unit:
                    row.append("%" if ind.unit.name == "persen" else ind.unit.name)
                row += [ind.target_text(y) for y in years]
                row.append(ind.data_source)
                writer.writerow(row)
    return out.getvalue()
