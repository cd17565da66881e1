"""The bulk path of an import: a realisations file read in columns (Arrow), checked by the
realisation rules column by column, and handed to the store as rows to insert.

:meth:`~iki_core.tracking.ledger.BaseLedger.import_realisations` reads a file with the
row reader (:func:`iki_core.realisations.load_realisations`), which builds and checks a
:class:`~iki_core.model.Realisation` per row. At a national volume that is most of the
time of an import, and here every cell is instead read once per distinct text: a column
is dictionary-encoded by Arrow, each distinct text is read by the parser the row reader
uses (:func:`~iki_core.periods.Period.parse`, :func:`~iki_core.kinds.parse_value`,
:func:`~iki_core.numbers.parse_number`, :func:`~iki_core.periods.parse_date`), and the
rules are checked on integer codes over the whole column: a known indicator, a month or
quarter of a plan year (``period_problems``), a value or both X and Y
(``shape_problem``), X and Y only for a percentage formula and no value for one summed
(``kind_problems``), a unit convertible to the indicator's, nothing below zero, no
period reported twice or overlapping a quarter, no report dated before its period.

The bulk path decides only that a file is clean. When anything in it is not (a bad
row, a warning, a row not yet filled in, a comment line, an unknown column, bytes that
are not UTF-8), :func:`prepare` answers None and the import goes the row reader's way,
whose diagnostics, with their lines, are the ones the user sees: the two paths record
the same entries and say the same things (``tests/test_tracking_bulk.py`` holds them
equal on generated files, bad rows included). Each text is stored as the row path
stores it (the value as written, its noun, the decimal's own digits).

The file is read in blocks; what is kept of each block is a few integer codes per row
(and its notes), so that a file of a million rows never becomes a million objects.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from typing import Final, Generic, TypeVar

import attrs
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from iki_core._textio import binary_kind, sniff_delimiter
from iki_core.errors import IkiError
from iki_core.kinds import parse_value
from iki_core.model import Aggregation, Document, Indicator, PercentageFormula
from iki_core.numbers import parse_number
from iki_core.periods import Period, PeriodKind, parse_date
from iki_core.realisation_checks import period_problems, unit_mismatch
from iki_core.realisations import COLUMN_ALIASES, COLUMNS
from iki_core.units import Quantity, UnitRegistry

__all__ = ["BLOCK_SIZE", "Prepared", "prepare"]

BLOCK_SIZE: Final = 4 << 20
"""Bytes of the file read at a time (Arrow's CSV block)."""

_INFO: Final = ("name", "unit", "target")
"""The columns the template writes beside each row, which the row reader reads past."""
_SHIFT: Final = 24  # an indicator and a period in one int64: indicator << 24 | period
_BAD: Final = -1

T = TypeVar("T")
Value = tuple[str, str, str | None, str | None]
"""A value as the store writes it: magnitude, unit, the text as written, its noun."""


class _Unclean(Exception):
    """Something in the file the row reader must word: the import goes its way."""


class _Texts(Generic[T]):
    """The distinct texts of one column and what each reads as. The code of a cell is 0
    when it is empty, -1 when its text cannot be read, else the index in ``values`` of
    what it reads as (texts that read alike, "Juli 2021" and "2021-07", share a code)."""

    def __init__(self, read: Callable[[str], T | None]) -> None:
        self._read = read
        self._codes: dict[str, int] = {}
        self._keys: dict[T, int] = {}
        self.values: list[T] = []

    def code(self, raw: str) -> int:
        found = self._codes.get(raw)
        if found is None:
            found = self._codes[raw] = self._code(raw.strip())
        return found

    def _code(self, text: str) -> int:
        if not text:
            return 0
        try:
            value = self._read(text)
        except IkiError:
            return _BAD
        if value is None:
            return _BAD
        found = self._keys.get(value)
        if found is None:
            self.values.append(value)
            found = self._keys[value] = len(self.values)
        return found

    def encode(self, column: pa.Array) -> pa.Array:
        """The code of each cell of ``column`` (one reading per distinct text)."""
        coded = column.dictionary_encode()
        mapping = pa.array([self.code(t) for t in coded.dictionary.to_pylist()], pa.int32())
        return mapping.take(coded.indices)


def _number(text: str) -> str | None:
    """A number's digits as the store keeps them; None below zero."""
    number = parse_number(text, lang="id")
    return None if number < 0 else str(number)


@attrs.frozen
class _Block:
    """What is kept of a block of rows: the codes of its cells, and its notes."""

    indicator: pa.Array
    period: pa.Array
    value: pa.Array
    numerator: pa.Array
    denominator: pa.Array
    reported_on: pa.Array
    note: pa.Array


@attrs.frozen
class Prepared:
    """A clean file, read and checked: ``count`` rows, which :meth:`rows` gives."""

    count: int
    blocks: tuple[_Block, ...]
    references: tuple[str, ...]
    periods: tuple[str | None, ...]
    values: tuple[Value | None, ...]
    numbers: tuple[str | None, ...]
    moments: tuple[str, ...]

    def rows(
        self, first: int, recorded_at: str, reported_by: str, chunk: int
    ) -> Iterator[list[tuple[object, ...]]]:
        """The rows of the entries from number ``first``, ``chunk`` at a time, in the
        order of the file, each (seq, recorded_at, "report", indicator, period,
        magnitude, unit, value text, noun, numerator, denominator, reported_at,
        reported_by, note): the row the store writes for the report the row path
        builds."""
        refs, periods, values, numbers, moments = (
            self.references,
            self.periods,
            self.values,
            self.numbers,
            self.moments,
        )
        empty = (None, None, None, None)
        seq = first
        for b in self.blocks:
            for start in range(0, len(b.indicator), chunk):
                part = slice(start, start + chunk)
                columns = (
                    b.indicator[part].to_pylist(),
                    b.period[part].to_pylist(),
                    b.value[part].to_pylist(),
                    b.numerator[part].to_pylist(),
                    b.denominator[part].to_pylist(),
                    b.reported_on[part].to_pylist(),
                    b.note[part].to_pylist(),
                )
                out: list[tuple[object, ...]] = []
                for i, p, v, x, y, d, note in zip(*columns, strict=True):
                    magnitude, unit, text, noun = values[v] or empty
                    head = (seq, recorded_at, "report", refs[i], periods[p], magnitude, unit)
                    out.append(
                        (*head, text, noun, numbers[x], numbers[y], moments[d], reported_by, note)
                    )
                    seq += 1
                yield out


class _Reading:
    """One file being read: the document's indicators, the distinct texts of each column
    so far, and the keys of the rows for the checks that need the whole file."""

    def __init__(
        self, document: Document, registry: UnitRegistry, reported_at: dt.datetime
    ) -> None:
        self.registry = registry
        self.reported_at = reported_at
        self.refs: list[str] = []
        self.indicators: list[Indicator] = []
        # the plan years of each indicator, as an index among the distinct ones
        self.years: list[tuple[int, ...]] = []
        years_of: list[int] = []
        known_years: dict[tuple[int, ...], int] = {}
        index: dict[str, int] = {}
        for sheet in document.sheets:
            for ind in sheet.indicators:
                ref = f"{sheet.number}:{ind.id}"
                if ref not in index:
                    index[ref] = len(self.refs)
                    self.refs.append(ref)
                    self.indicators.append(ind)
                    years = tuple(sheet.plan_years or ind.years)
                    if years not in known_years:
                        known_years[years] = len(self.years)
                        self.years.append(years)
                    years_of.append(known_years[years])
        self.years_of = pa.array(years_of, pa.int64())
        self.indicator: _Texts[int] = _Texts(lambda t: index.get("".join(t.split())))
        self.period: _Texts[Period] = _Texts(Period.parse)
        self.numbers: _Texts[str] = _Texts(_number)
        self.dates: _Texts[dt.date] = _Texts(parse_date)
        self.value_texts: _Texts[str] = _Texts(lambda t: t)
        formula = [isinstance(i.kind, PercentageFormula) for i in self.indicators]
        summed = [
            f and i.aggregation is Aggregation.SUM
            for f, i in zip(formula, self.indicators, strict=True)
        ]
        self.formula = pa.array(formula, pa.bool_())
        self.summed = pa.array(summed, pa.bool_())
        # indicators whose values read alike (the same kind and unit) share a class
        classes: dict[object, int] = {}
        by_id: dict[tuple[int, int], int] = {}  # a kind shared by indicators: hashed once
        self.class_of: list[Indicator] = []
        of_indicator = []
        for ind in self.indicators:
            found = by_id.get((id(ind.kind), id(ind.unit)))
            if found is None:
                key = _hashable(ind.kind), id(ind.unit)
                found = classes.get(key)
                if found is None:
                    found = classes[key] = len(self.class_of)
                    self.class_of.append(ind)
                by_id[id(ind.kind), id(ind.unit)] = found
            of_indicator.append(found)
        self.value_class = pa.array(of_indicator, pa.int64())
        self.pairs: dict[int, bool] = {}  # plan years and period: a month or quarter of one
        self.values: dict[int, int] = {}  # value text x class: its index in read_values
        self.read_values: list[Value | None] = [None]
        self.keys: list[pa.Array] = []
        self.quarters: list[pa.Array] = []
        self.months: list[pa.Array] = []

    def value(self, text: str, indicator: Indicator) -> Value:
        """The value of ``text`` for ``indicator`` as the row reader reads it, or
        :class:`_Unclean` when the row reader finds a problem with it."""
        try:
            q = parse_value(
                text, kind=indicator.kind, registry=self.registry, lang="id", field="value"
            )
        except IkiError:
            raise _Unclean from None
        unit = indicator.unit
        if q.magnitude < 0:
            raise _Unclean
        if q.unit.is_bare:
            q = Quantity(q.magnitude, unit, text=text, noun=q.noun)
        elif unit_mismatch(q.unit, indicator):
            raise _Unclean
        elif q.unit != unit:
            q = attrs.evolve(q.to(unit), text=text, noun=q.noun)
        return (str(q.magnitude), q.unit.name, q.text, q.noun)

    def block(self, table: pa.Table) -> _Block:
        """The codes of a block of rows, each rule checked on them (:class:`_Unclean`
        when one is broken)."""
        n = len(table)
        if not n:
            raise _Unclean  # pragma: no cover - Arrow gives no empty block

        def column(name: str) -> pa.Array:
            if name in table.column_names:
                return table[name].combine_chunks()
            return pa.array([""] * n, pa.string())

        first = table.column(0).combine_chunks().dictionary_encode()
        if any(t.lstrip().startswith("#") for t in first.dictionary.to_pylist()):
            raise _Unclean  # a comment line among the rows
        ind = self.indicator.encode(column("indicator"))
        per = self.period.encode(column("period"))
        val = self.value_texts.encode(column("value"))
        num = self.numbers.encode(column("numerator"))
        den = self.numbers.encode(column("denominator"))
        day = self.dates.encode(column("reported_on"))
        if any(pc.min(c).as_py() < 0 for c in (ind, per, val, num, den, day)):
            raise _Unclean  # a text that cannot be read
        if pc.min(ind).as_py() == 0 or pc.min(per).as_py() == 0:
            raise _Unclean  # a row without its indicator or period (or a blank row)
        has_v, has_x, has_y = (pc.not_equal(c, 0) for c in (val, num, den))
        ratio = pc.and_(has_x, has_y)
        value_only = pc.and_(has_v, pc.invert(pc.or_(has_x, has_y)))
        if not pc.all(pc.or_(value_only, pc.and_(pc.invert(has_v), ratio))).as_py():
            raise _Unclean  # no value, a value and X or Y, or X without Y (shape_problem)
        # the code of an indicator's text is not its index among the indicators
        ind64 = pa.array(self.indicator.values, pa.int64()).take(pc.subtract(ind, 1))
        if pc.any(pc.and_(ratio, pc.invert(self.formula.take(ind64)))).as_py():
            raise _Unclean  # X and Y for a count (kind_problems)
        if pc.any(pc.and_(has_v, self.summed.take(ind64))).as_py():
            raise _Unclean  # a value for a summed percentage formula (kind_problems)
        keys = pc.add(pc.shift_left(ind64, _SHIFT), pc.cast(per, pa.int64()))
        self._periods(ind64, per)
        self.keys.append(keys)
        values = self._values(val, ind64, has_v)
        self._spans(keys, per)
        self._dates(day, per)
        note = column("note").dictionary_encode()
        notes = pa.array([t.strip() for t in note.dictionary.to_pylist()], pa.string())
        return _Block(ind64, per, values, num, den, day, notes.take(note.indices))

    def _periods(self, ind64: pa.Array, per: pa.Array) -> None:
        """Each period a month or a quarter of a plan year of its indicator's sheet,
        checked once per period and set of plan years."""
        pairs = pc.add(pc.shift_left(self.years_of.take(ind64), _SHIFT), pc.cast(per, pa.int64()))
        for key in pc.unique(pairs).to_pylist():
            ok = self.pairs.get(key)
            if ok is None:
                period = self.period.values[(key & ((1 << _SHIFT) - 1)) - 1]
                ok = self.pairs[key] = not period_problems(period, self.years[key >> _SHIFT])
            if not ok:
                raise _Unclean  # not a month or quarter, or outside the plan years

    def _values(self, val: pa.Array, ind64: pa.Array, has_v: pa.Array) -> pa.Array:
        classes = len(self.class_of)
        pair = pc.add(pc.multiply(pc.cast(val, pa.int64()), classes), self.value_class.take(ind64))
        pair = pc.if_else(has_v, pair, -1)
        distinct = pc.unique(pair)
        codes = []
        for key in distinct.to_pylist():
            code = 0 if key < 0 else self.values.get(key)
            if code is None:
                text = self.value_texts.values[key // classes - 1]
                self.read_values.append(self.value(text, self.class_of[key % classes]))
                code = self.values[key] = len(self.read_values) - 1
            codes.append(code)
        return pa.array(codes, pa.int32()).take(pc.index_in(pair, value_set=distinct))

    def _spans(self, keys: pa.Array, per: pa.Array) -> None:
        """The quarter of each row (indicator, year x 4 + quarter), quarters and months
        apart, for the overlap check at the end."""
        periods = [Period.quarter(2000, 1), *self.period.values]  # code 0 never occurs
        quarter_of = pa.array([p.year * 4 + (p.first_month - 1) // 3 for p in periods])
        is_quarter = pa.array([p.kind is PeriodKind.QUARTER for p in periods])
        span = pc.add(
            pc.shift_left(pc.shift_right(keys, _SHIFT), _SHIFT),
            pc.cast(quarter_of.take(per), pa.int64()),
        )
        quarter = is_quarter.take(per)
        self.quarters.append(span.filter(quarter))
        self.months.append(span.filter(pc.invert(quarter)))

    def _dates(self, day: pa.Array, per: pa.Array) -> None:
        """A report dated before its period begins is warned of by the row reader."""
        dates = pa.array([0, *(d.toordinal() for d in self.dates.values)], pa.int64())
        starts = pa.array([0, *(p.start.toordinal() for p in self.period.values)], pa.int64())
        early = pc.less(dates.take(day), starts.take(per))
        if pc.any(pc.and_(pc.not_equal(day, 0), early)).as_py():
            raise _Unclean  # reported-early

    def finish(self, blocks: list[_Block]) -> Prepared:
        """The file read, once the checks that need every row hold."""
        keys = pa.chunked_array(self.keys, pa.int64())
        if pc.count_distinct(keys).as_py() != len(keys):
            raise _Unclean  # an indicator and period reported twice (duplicate-row)
        quarters = pa.chunked_array(self.quarters, pa.int64())
        months = pa.chunked_array(self.months, pa.int64())
        if len(quarters) and pc.any(pc.is_in(months, value_set=pc.unique(quarters))).as_py():
            raise _Unclean  # a month of a quarter reported whole (overlapping-period)
        at = self.reported_at
        moments = [dt.datetime.combine(d, at.timetz()).isoformat() for d in self.dates.values]
        return Prepared(
            len(keys),
            tuple(blocks),
            tuple(self.refs),
            (None, *(str(p) for p in self.period.values)),
            tuple(self.read_values),
            (None, *self.numbers.values),
            (at.isoformat(), *moments),
        )


def _hashable(kind: object) -> object:
    try:
        hash(kind)
    except TypeError:
        return id(kind)
    return kind


def _names(header: str, delimiter: str) -> list[str] | None:
    """The columns of a header the row reader reads without a word: each known, none
    twice, the indicator, the period and a value (or X and Y) among them."""
    cells = next(csv.reader([header], delimiter=delimiter), [])
    names = []
    for cell in cells:
        name = "_".join(cell.strip().lower().split())
        name = COLUMN_ALIASES.get(name, name)
        if name not in COLUMNS and name not in _INFO:
            return None
        names.append(name)
    if len(set(names)) != len(names) or not {"indicator", "period"} <= set(names):
        return None
    if "value" not in names and not {"numerator", "denominator"} <= set(names):
        return None
    return names


def prepare(
    data: bytes,
    document: Document,
    registry: UnitRegistry,
    reported_at: dt.datetime,
    *,
    block_size: int = BLOCK_SIZE,
) -> Prepared | None:
    """The rows of a clean realisations CSV file (its bytes), read and checked in columns;
    None when the file needs the row reader's words (see the module documentation)."""
    if b"\x00" in data or binary_kind(data) is not None:
        return None  # the row reader refuses it (binary data, a NUL in a line)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")  # bytes that are not UTF-8 are warned of, line by line
    except UnicodeDecodeError:
        return None
    end = data.find(b"\n")
    header = (data if end < 0 else data[:end]).decode("utf-8").rstrip("\r")
    if not header.strip() or header.lstrip().startswith("#"):
        return None
    delimiter = sniff_delimiter(header)
    names = _names(header, delimiter)
    if names is None:
        return None
    # the first column too (for comment lines), whatever it is; then the format's
    positional = [f"c{i}" for i in range(len(names))]
    wanted = [0, *(i for i, n in enumerate(names) if n in COLUMNS and i)]
    renamed = [names[i] if names[i] in COLUMNS else "_first" for i in wanted]
    reading = _Reading(document, registry, reported_at)
    try:
        reader = pacsv.open_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(
                column_names=positional, skip_rows=1, block_size=block_size
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={p: pa.string() for p in positional},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                include_columns=[positional[i] for i in wanted],
            ),
        )
        blocks = [reading.block(pa.Table.from_batches([b]).rename_columns(renamed)) for b in reader]
        if not blocks:
            return None  # a header alone: the row reader says what it says
        return reading.finish(blocks)
    except (_Unclean, pa.ArrowInvalid):
        return None
