"""Hypothesis strategies shared by the test suite, one section per part of the library.

Each section is owned by the tests of its modules; add a new section at the end rather than
editing another one.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from iki_core.model import (
    Aggregation,
    Count,
    Diagnostic,
    Document,
    EventReport,
    EventWindow,
    Indicator,
    Objective,
    PercentageFormula,
    Polarity,
    QuarterlyPlan,
    Range,
    Realisation,
    Sheet,
    Signatory,
    SourceText,
    Target,
)
from iki_core.numbers import Lang, format_number
from iki_core.periods import Period, PeriodKind, parse_place_date
from iki_core.personnel import Nip, parse_rank
from iki_core.units import PERCENT, Quantity, Unit, get_registry

# ======================================================================================
# Foundation: numbers, units, periods, model
# ======================================================================================

MAX_MAGNITUDE = Decimal("999999999.99")
"""Largest magnitude the foundation strategies draw (under a billion, two places)."""

LANGS: tuple[Lang, ...] = ("id", "en")

CLASSIFIERS: tuple[str, ...] = (
    "orang",
    "kali",
    "laporan",
    "dokumen",
    "berkas",
    "buku",
    "eksemplar",
    "jenis",
    "paket",
    "kegiatan",
    "set",
    "unit",
    "kasus",
    "lokasi",
    "lembaga",
    "desa",
    "sekolah",
    "buah",
    "lembar",
    "bulan",
    "hari",
    "jam",
)
"""The base classifiers of ``data/units.txt``: each is a dimension of its own."""

UNIT_SPELLINGS: tuple[str, ...] = (
    *CLASSIFIERS,
    "orang peserta",
    "peserta",
    "jiwa",
    "lusin",
    "kodi",
    "gros",
    "rim",
    "triwulan",
    "tahun",
    "minggu",
    "%",
)
"""Unit texts as documents write them after a number (all known to the registry)."""


def two_place_decimals(
    min_value: Decimal = -MAX_MAGNITUDE, max_value: Decimal = MAX_MAGNITUDE
) -> st.SearchStrategy[Decimal]:
    """Finite Decimals with exactly two decimal places (amounts, percentages)."""
    return st.decimals(
        min_value=min_value, max_value=max_value, places=2, allow_nan=False, allow_infinity=False
    )


def non_negative_decimals(places: int = 2) -> st.SearchStrategy[Decimal]:
    """Finite Decimals >= 0 with ``places`` decimal places (magnitudes of targets)."""
    return st.decimals(
        min_value=Decimal(0),
        max_value=MAX_MAGNITUDE,
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


@st.composite
def numerals(draw: st.DrawFn, lang: Lang = "id") -> tuple[str, Decimal]:
    """(text, value): a numeral as a document in ``lang`` writes it, and its value.

    Covers grouping ("1.250"), decimals ("95,5"), both ("1.234,56"), trailing zeros
    ("100,00"), a percent sign and a leading minus.
    """
    value = draw(two_place_decimals())
    places = draw(st.sampled_from((None, 0, 1, 2)))
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    text = format_number(
        value,
        lang=lang,
        grouping=draw(st.booleans()),
        percent=draw(st.booleans()),
    )
    return text, value


def indonesian_numerals() -> st.SearchStrategy[tuple[str, Decimal]]:
    """(text, value) pairs written the Indonesian way: "1.250", "95,5", "100,00%"."""
    return numerals("id")


def unit_spellings() -> st.SearchStrategy[str]:
    """A known unit as written after a number ("orang peserta", "lusin", "%")."""
    return st.sampled_from(UNIT_SPELLINGS)


def units() -> st.SearchStrategy[Unit]:
    """A resolved known unit of the shared registry (built lazily on first draw)."""
    return unit_spellings().map(lambda text: get_registry().unit(text))


def quantities(unit: Unit | None = None) -> st.SearchStrategy[Quantity]:
    """A quantity >= 0 with two places, in ``unit`` or in any known unit."""
    unit_strategy = st.just(unit) if unit is not None else units()
    return st.builds(Quantity, non_negative_decimals(), unit_strategy)


def quantity_texts() -> st.SearchStrategy[tuple[str, Decimal, str]]:
    """(text, magnitude, unit spelling): "1.250 orang peserta", "95,5%", "550"."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, Decimal, str]:
        text, value = draw(numerals("id").filter(lambda p: not p[0].endswith("%")))
        if value < 0:
            text, value = text[1:], -value
        unit = draw(st.sampled_from(("", *UNIT_SPELLINGS)))
        sep = "" if unit == "%" else draw(st.sampled_from((" ", "  ")))
        return (f"{text}{sep}{unit}" if unit else text), value, unit

    return build()


def years(min_year: int = 2015, max_year: int = 2035) -> st.SearchStrategy[int]:
    """Plan years (a Renstra spans five of them)."""
    return st.integers(min_value=min_year, max_value=max_year)


@st.composite
def periods(draw: st.DrawFn, kind: PeriodKind | None = None, year: int | None = None) -> Period:
    """A year, semester, quarter or month (of ``kind`` and ``year`` when given)."""
    k = kind if kind is not None else draw(st.sampled_from(list(PeriodKind)))
    y = year if year is not None else draw(years(1900, 2999))
    index = draw(st.integers(min_value=1, max_value=12 // k.months))
    return Period(y, k, index)


@st.composite
def targets(draw: st.DrawFn, unit: Unit, year: int | None = None) -> Target:
    """A target in ``unit``: mostly a quantity, sometimes "-" (no target that year)."""
    y = year if year is not None else draw(years())
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        return Target(y, None, "-")
    quantity = draw(quantities(unit))
    return Target(y, quantity, str(quantity))


def indicator_kinds() -> st.SearchStrategy[PercentageFormula | Count | EventReport]:
    """A percentage formula, a count in a known unit, or an event report."""
    count_units = units().filter(lambda u: u != PERCENT)
    return st.one_of(
        st.just(PercentageFormula("X", "Y")),
        st.builds(Count, count_units),
        st.builds(
            EventReport,
            count_units,
            st.lists(years(), max_size=2, unique=True).map(
                lambda ys: tuple(EventWindow(y, 1, 12) for y in ys)
            ),
        ),
    )


@st.composite
def indicators(draw: st.DrawFn, first_year: int = 2018, count: int = 5) -> Indicator:
    """A valid indicator with a target (or "-") for each of ``count`` years from ``first_year``."""
    kind = draw(indicator_kinds())
    aggregation = draw(
        st.sampled_from(
            (Aggregation.SUM, Aggregation.LAST)
            if isinstance(kind, PercentageFormula)
            else tuple(Aggregation)
        )
    )
    return Indicator(
        id=draw(st.from_regex(r"[1-9][0-9]?(\.[1-9])?", fullmatch=True)),
        name=draw(st.sampled_from(("Jumlah peserta sosialisasi", "Persentase konflik"))),
        kind=kind,
        targets=tuple(
            draw(targets(kind.unit, year)) for year in range(first_year, first_year + count)
        ),
        polarity=draw(st.sampled_from(tuple(Polarity))),
        aggregation=aggregation,
    )


@st.composite
def realisations(
    draw: st.DrawFn, indicator: Indicator | None = None, reference: str = "1:1"
) -> Realisation:
    """A realisation of one quarter: X and Y for a percentage formula, else a value."""
    ind = indicator if indicator is not None else draw(indicators())
    period = draw(periods(PeriodKind.QUARTER, draw(years())))
    if isinstance(ind.kind, PercentageFormula):
        denominator = draw(st.integers(min_value=0, max_value=1000))
        numerator = draw(st.integers(min_value=0, max_value=max(denominator, 1)))
        return Realisation(reference, period, numerator=numerator, denominator=denominator)
    return Realisation(reference, period, value=draw(quantities(ind.unit)))


# ======================================================================================
# Loaders: sheets as the text and CSV layouts write them, whole documents, odd input
# ======================================================================================

_LOADER_WORDS = ("surat", "rapat", "kantor", "wilayah", "konflik", "sosialisasi", "pembinaan")
_LOADER_SPELLINGS = ("orang peserta", "unit", "kali", "jenis", "buku", "berkas", "dokumen")


def _loader_phrase(min_size: int = 1) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_LOADER_WORDS), min_size=min_size, max_size=4).map(" ".join)


@st.composite
def loader_indicators(draw: st.DrawFn, ident: str, years: tuple[int, ...]) -> Indicator:
    """An indicator as a sheet writes it, so that the loader's inference gives it back:
    a count in one unit, a percentage with or without its formula, or an event report
    (a "Jumlah laporan" row with targets in fewer years than it has "-")."""
    from iki_core.model import Target as _Target

    shapes = ("count", "percentage", "formula") + (("event",) if len(years) >= 3 else ())
    shape = draw(st.sampled_from(shapes))
    lower = draw(st.booleans())
    explanation = "Cukup Jelas"
    name = "Jumlah " + draw(_loader_phrase())
    aggregation = Aggregation.SUM
    kind: PercentageFormula | Count | EventReport
    texts: list[str]
    if shape == "event":
        name = "Jumlah laporan " + draw(_loader_phrase())
        # an event falls in a minority of the plan years (loaders.options.infer)
        chosen = draw(
            st.sets(
                st.integers(min_value=0, max_value=len(years) - 1),
                min_size=1,
                max_size=(len(years) - 1) // 2,
            )
        )
        marks = [i in chosen for i in range(len(years))]
        size = draw(st.integers(min_value=1, max_value=99))
        texts = [f"{size} laporan" if m else "-" for m in marks]
        kind = EventReport(get_registry().unit("laporan"))
    elif shape == "count":
        spelling = draw(st.sampled_from(_LOADER_SPELLINGS))
        values = draw(st.lists(non_negative_decimals(), min_size=len(years), max_size=len(years)))
        texts = [f"{format_number(v)} {spelling}" for v in values]
        texts[1:] = [t if draw(st.booleans()) else "-" for t in texts[1:]]
        kind = Count(get_registry().parse_quantity(texts[0]).unit)
        if draw(st.booleans()):
            name += " yang dimiliki"
            aggregation = Aggregation.LAST
    else:
        values = draw(st.lists(two_place_decimals(Decimal(0), Decimal(100)), min_size=len(years),
                               max_size=len(years)))  # fmt: skip
        texts = [format_number(v, percent=True) for v in values]
        name = "Persentase " + draw(_loader_phrase())
        if shape == "formula":
            x, y = draw(_loader_phrase()), draw(_loader_phrase())
            explanation = f"$(X/Y) * 100 \\%$ X = Jumlah {x} Y = Jumlah {y}"
            kind = PercentageFormula(f"Jumlah {x}", f"Jumlah {y}")
        else:
            kind = PercentageFormula()
    if lower:
        explanation = "Semakin rendah semakin baik. " + explanation
    return Indicator(
        id=ident,
        name=name,
        kind=kind,
        targets=tuple(_Target.parse(y, t) for y, t in zip(years, texts, strict=True)),
        polarity=Polarity.LOWER_IS_BETTER if lower else Polarity.HIGHER_IS_BETTER,
        aggregation=aggregation,
        explanation=explanation,
        data_source=draw(st.sampled_from(("", "Agenda surat", "Dokumen internal"))),
    )


@st.composite
def loader_sheets(draw: st.DrawFn, number: int = 1) -> Sheet:
    """A sheet the text and CSV layouts can hold exactly (no signatories, no sources):
    objectives numbered 1..n, ids by the loader's rule ("3", or "3.1", "3.2")."""
    first = draw(st.integers(min_value=2015, max_value=2030))
    years = tuple(range(first, first + draw(st.integers(min_value=2, max_value=5))))
    objectives = []
    for n in range(1, draw(st.integers(min_value=1, max_value=6)) + 1):
        count = draw(st.integers(min_value=1, max_value=3))
        ids = [str(n)] if count == 1 else [f"{n}.{k}" for k in range(1, count + 1)]
        objectives.append(
            Objective(
                str(n),
                "Terlaksananya " + draw(_loader_phrase()),
                tuple(draw(loader_indicators(i, years)) for i in ids),
            )
        )
    functions = draw(st.lists(_loader_phrase().map(lambda s: s + ";"), max_size=3))
    return Sheet(
        number=number,
        position="KEPALA " + draw(_loader_phrase()).upper() + " LAMPUNG BARAT",
        duty="Melaksanakan " + draw(_loader_phrase()),
        functions=tuple(functions),
        plan_years=years,
        objectives=tuple(objectives),
    )


def without_sources(sheet: Sheet) -> Sheet:
    """``sheet`` without what depends on where it was read from (sources, signature text)."""
    return attrs.evolve(
        sheet,
        source=None,
        objectives=tuple(
            attrs.evolve(
                o,
                source=None,
                indicators=tuple(attrs.evolve(i, source=None) for i in o.indicators),
            )
            for o in sheet.objectives
        ),
        signatories=tuple(attrs.evolve(s, text="", line=None) for s in sheet.signatories),
    )


_SIGNATORIES = (
    Signatory(
        "MUZAKAR, SE",
        "KEPALA KANTOR KESBANG DAN POLITIK KABUPATEN LAMPUNG BARAT",
        parse_rank("Pembina Tk.I /IV.b"),
        Nip.parse("NIP.19660512 198803 1 004"),
        role="approver",
        text="**MUZAKAR, SE**",
        line=26,
    ),
    Signatory(
        "NAZORI S.Sos",
        "Kabid Kewaspadaan Nasional",
        parse_rank("Penata /III.c"),
        Nip.parse("NIP. 19731001 200906 1 001"),
        place_date=parse_place_date("Liwa, 12 Januari 2021"),
    ),
)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """Any valid document: indicators of every kind with plans, ranges, sources,
    signatories and diagnostics (for the JSON round trip)."""
    reg = get_registry()
    sheets = []
    for number in range(1, draw(st.integers(min_value=0, max_value=3)) + 1):
        inds = draw(
            st.lists(indicators() | value_kind_indicators(), max_size=4, unique_by=lambda i: i.id)
        )
        extra = []
        for ind in inds:
            source = SourceText(
                draw(st.none() | st.integers(1, 999)),
                (("No", ind.id), ("target 2018", draw(st.text(max_size=8)))),
            )
            plans: tuple[QuarterlyPlan, ...] = ()
            if draw(st.booleans()) and not ind.unit.is_bare:
                q = draw(quantities(ind.unit))
                plans = (QuarterlyPlan(2021, (q, None, q, None)),)
            targets_ = ind.targets
            if draw(st.booleans()) and isinstance(ind.kind, Count) and ind.unit.known:
                low, high = reg.quantity(1, ind.unit), reg.quantity(5, ind.unit)
                rng = Target(2030, Range(attrs.evolve(low, text="1-5"), high), "1-5")
                targets_ = (*ind.targets, rng)
            extra.append(
                attrs.evolve(
                    ind,
                    source=source,
                    plans=plans,
                    targets=targets_,
                    data_source=draw(st.text(max_size=10)),
                )
            )
        objective = Objective("1", draw(st.text(max_size=12)), tuple(extra), SourceText(3))
        sheets.append(
            Sheet(
                number,
                draw(st.text(max_size=20)),
                objectives=(objective,),
                signatories=draw(st.lists(st.sampled_from(_SIGNATORIES), max_size=2)),
                plan_years=(2018, 2019),
                source=SourceText(1, (("title", "IKI"),)),
            )
        )
    diagnostics = draw(
        st.lists(
            st.builds(
                Diagnostic,
                st.none() | st.integers(1, 500),
                st.sampled_from(("error", "warning", "info")),
                st.sampled_from(("repeated-row", "truncated-target")),
                st.text(max_size=20),
                st.none() | st.text(max_size=5),
                st.none() | st.integers(1, 3),
            ),
            max_size=3,
        )
    )
    return Document(tuple(sheets), tuple(diagnostics), draw(st.none() | st.text(max_size=10)))


def odd_texts() -> st.SearchStrategy[str | bytes]:
    """Anything a user might hand to ``loads``: text with tabs, separators, braces,
    markup and control characters, or raw bytes."""
    alphabet = st.sampled_from('\t\n\r ;,{}[]":*$%\\-.0123456789aNoIndikatorSasaran\x00\ufeff')
    pieces = st.sampled_from(
        (
            "No\tSasaran\tIndikator\tPenjelasan\tTarget\t\tSumber Data\n",
            "\t\t\t\t2021\t2022\t\n",
            "1\t2\t3\t4\t5\t6\t7\n",
            "INDIKATOR KINERJA INDIVIDU (IKI)\n",
            "Mengetahui,\n",
            "Lima,\n",
            "NIP. 19661305 198803 1 004\n",
            "Pembina /III.c\n",
            "1. Jabatan : KEPALA 2. Tugas : X\n",
            "No,Indikator,2021\n",
        )
    )
    return st.one_of(
        st.lists(st.one_of(pieces, st.text(alphabet, max_size=12))).map("".join),
        st.text(),
        st.binary(max_size=200),
    )


# ======================================================================================
# Engine: indicators with a year of realisations, and rules
# ======================================================================================

ENGINE_YEAR = 2021
"""The year the engine strategies report in."""

ENGINE_UNITS: tuple[str, ...] = ("orang", "laporan", "kali", "buah", "lembar")
"""Count units of the engine strategies; buah and lembar have trade multiples (lusin, rim)."""


def engine_magnitudes(max_value: int = 5000) -> st.SearchStrategy[Decimal]:
    """Realisation and target magnitudes >= 0 with at most two places."""
    return st.decimals(
        min_value=Decimal(0),
        max_value=Decimal(max_value),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )


def _register_test_formulas() -> tuple[str, ...]:
    """Formulas registered the way a host application would, so that the rules strategy
    also draws formulas iki_core does not ship: the annex's R / T capped at 120%, and
    (T - R) / T without a floor, which goes below zero."""
    from iki_core.engine import Formula, register_formula

    def capped(rn: int, rd: int, tn: int, td: int) -> tuple[int, int] | None:
        n, d = rn * td, rd * tn
        if d < 0:
            n, d = -n, -d
        return (6, 5) if 5 * n > 6 * d else (n, d)

    def unused_share(rn: int, rd: int, tn: int, td: int) -> tuple[int, int] | None:
        n, d = tn * rd - rn * td, tn * rd
        return (n, d) if d > 0 else (-n, -d)

    for name, symbol, arithmetic in (
        ("test_capped_120", "min(R / T, 1.2)", capped),
        ("test_unused_share", "(T - R) / T", unused_share),
    ):
        register_formula(
            Formula(name, "no regulation fixes it (a test formula)", symbol, arithmetic),
            replace=True,
        )
    return ("test_capped_120", "test_unused_share")


@st.composite
def engine_rules(draw: st.DrawFn) -> object:
    """Any combination of the engine's rules (an ``iki_core.rules.Rules``): every field is
    drawn (a field added to ``Rules`` and not drawn here fails at once), the formulas from
    the shipped ones and one registered as a host application would."""
    from iki_core.rules import (
        SCALES,
        GradeRule,
        HigherIsBetterFormula,
        LowerIsBetterFormula,
        Measure,
        MissingPeriod,
        PeriodTarget,
        RangeRule,
        Rounding,
        Rules,
        YearToDate,
        ZeroDenominator,
        ZeroRealisation,
        ZeroTargetHigher,
        ZeroTargetLower,
    )

    custom = _register_test_formulas()
    fields = {
        "higher_is_better": draw(st.sampled_from([*HigherIsBetterFormula, *custom])),
        "lower_is_better": draw(st.sampled_from([*LowerIsBetterFormula, *custom])),
        "zero_target_higher": draw(st.sampled_from(list(ZeroTargetHigher))),
        "zero_target_lower": draw(st.sampled_from(list(ZeroTargetLower))),
        "zero_denominator": draw(st.sampled_from(list(ZeroDenominator))),
        "range_target": draw(st.sampled_from(list(RangeRule))),
        "period_target": draw(st.sampled_from(list(PeriodTarget))),
        "cap": draw(st.none() | st.sampled_from((Decimal(100), Decimal(120)))),
        "scale": SCALES[draw(st.sampled_from(sorted(SCALES)))],
        "places": draw(st.sampled_from((0, 2, 3))),
        "report_grace_days": draw(st.none() | st.sampled_from((0, 30, 366))),
        "zero_realisation": draw(st.sampled_from(list(ZeroRealisation))),
        "rounding": draw(st.sampled_from(list(Rounding))),
        "missing_period": draw(st.sampled_from(list(MissingPeriod))),
        "year_to_date": draw(st.sampled_from(list(YearToDate))),
        "grade_rule": draw(st.sampled_from(list(GradeRule))),
        "measure": draw(st.sampled_from(list(Measure))),
    }
    missing = {f.name for f in attrs.fields(Rules)} - set(fields)
    assert not missing, f"engine_rules() does not draw Rules fields {sorted(missing)}"
    return Rules(**fields)


@st.composite
def engine_periods(draw: st.DrawFn) -> Period:
    """A period of :data:`ENGINE_YEAR`: a month, quarter, semester or the year."""
    return draw(periods(year=ENGINE_YEAR))


@st.composite
def engine_cases(
    draw: st.DrawFn,
    *,
    kinds: tuple[str, ...] = ("count", "count", "percentage", "event"),
    polarity: Polarity | None = None,
    aggregation: Aggregation | None = None,
    units: tuple[str, ...] = ENGINE_UNITS,
    complete: bool = False,
    shapes: tuple[str, ...] = ("single", "single", "single", "zero", "dash", "range"),
    with_plans: bool = True,
) -> tuple[Indicator, list[Realisation]]:
    """An indicator with a target for :data:`ENGINE_YEAR` (sometimes "-", 0, a range, a
    quarterly plan, an event window) and realisations of months, quarters or the year,
    some late, some in another compatible unit or bare, none for some periods.

    ``kinds`` ("count", "percentage", "event"), ``polarity``, ``aggregation`` (counts) and
    ``units`` (counts and events) narrow the draw; ``complete`` reports every period, on
    time (nothing to warn about); ``shapes`` the target's shapes ("single", "zero", "dash",
    "range"); ``with_plans`` False leaves out quarterly plans."""
    reg = get_registry()
    kind_name = draw(st.sampled_from(kinds))
    if polarity is None:
        polarity = draw(st.sampled_from(tuple(Polarity)))
    plans: tuple[QuarterlyPlan, ...] = ()
    if kind_name == "percentage":
        kind: PercentageFormula | Count | EventReport = PercentageFormula("X", "Y")
        aggregation = draw(st.sampled_from((Aggregation.SUM, Aggregation.LAST)))
    elif kind_name == "event":
        first = draw(st.integers(1, 12))
        last = draw(st.integers(first, 12))
        kind = EventReport(
            reg.unit(draw(st.sampled_from(units))),
            (EventWindow(ENGINE_YEAR, first, last),),
        )
        aggregation = Aggregation.SUM
    else:
        kind = Count(reg.unit(draw(st.sampled_from(units))))
        if aggregation is None:
            aggregation = draw(st.sampled_from(tuple(Aggregation)))
    unit = kind.unit
    shape = draw(st.sampled_from(shapes))
    if shape == "dash":
        value: Quantity | Range | None = None
    elif shape == "zero":
        value = Quantity(Decimal(0), unit)
    elif shape == "range":
        low = draw(engine_magnitudes(200).filter(lambda d: d > 0))
        high = low + draw(engine_magnitudes(50))
        value = Range(Quantity(low, unit), Quantity(high, unit))
    else:
        value = Quantity(draw(engine_magnitudes().filter(lambda d: d > 0)), unit)
    target = Target(ENGINE_YEAR, value, "-" if value is None else "target")
    if with_plans and draw(st.integers(0, 4)) == 0:
        entries = [
            draw(st.none() | engine_magnitudes(500).map(lambda d, u=unit: Quantity(d, u)))  # type: ignore[misc]
            for _ in range(4)
        ]
        plans = (QuarterlyPlan(ENGINE_YEAR, tuple(entries)),)
    indicator = Indicator(
        "1",
        "Indikator",
        kind,
        targets=(target,),
        polarity=polarity,
        aggregation=aggregation,
        plans=plans,
    )
    realisations: list[Realisation] = []
    grain = draw(st.sampled_from((PeriodKind.QUARTER, PeriodKind.MONTH, PeriodKind.YEAR)))
    for p in Period(ENGINE_YEAR).children(grain):
        if not complete and draw(st.integers(0, 3)) == 0:
            continue  # missing is not zero
        late = not complete and draw(st.booleans())
        reported = attrs.evolve(p, year=ENGINE_YEAR + 1).start if late else None
        if isinstance(kind, PercentageFormula):
            y = draw(st.integers(0, 40))
            x = draw(st.integers(0, y if complete else y + 2))
            realisations.append(
                Realisation("1:1", p, numerator=x, denominator=y, reported_on=reported)
            )
            continue
        magnitude = draw(engine_magnitudes(1000))
        spelling = draw(st.sampled_from(("same", "bare", "multiple")))
        if spelling == "bare":
            q = Quantity(magnitude, reg.unit(""))
        elif spelling == "multiple" and unit.name in ("buah", "lembar"):
            big = reg.unit("lusin" if unit.name == "buah" else "rim")
            q = Quantity(magnitude, big)
        else:
            q = Quantity(magnitude, unit)
        realisations.append(Realisation("1:1", p, value=q, reported_on=reported))
    return indicator, realisations


# ======================================================================================
# Realisation tracking: sequences of reports, corrections and reviews
# ======================================================================================
TRACKING_KEYS = (
    ("1:1", Period.quarter(2021, 1)),
    ("1:1", Period.quarter(2021, 2)),
    ("1:2", Period.quarter(2021, 1)),
)
"""The (indicator, period) keys the ledger strategies report on (see tracking_document)."""


@st.composite
def ledger_operations(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    """A sequence of ledger operations: ("report", key index, value) reports ``value``
    (a count of orang) for ``TRACKING_KEYS[key]``; ("verified" | "rejected" |
    "submitted", n, 0) reviews the n-th report recorded so far (modulo their number)."""
    ops: list[tuple[str, int, int]] = []
    reports = 0
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(("report", "report", "verified", "rejected", "submitted")))
        if kind == "report" or reports == 0:
            ops.append(
                ("report", draw(st.integers(0, len(TRACKING_KEYS) - 1)), draw(st.integers(0, 500)))
            )
            reports += 1
        else:
            ops.append((kind, draw(st.integers(0, 1000)) % reports, 0))
    return ops


@st.composite
def engine_percent_value_cases(draw: st.DrawFn) -> tuple[Indicator, list[Realisation]]:
    """A percentage indicator of :data:`ENGINE_YEAR` (either polarity, a target of 0, a
    positive one or a range) reported as values rather than X and Y, some negative (a
    percentage may be: a growth rate), for the engine's zero-target and formula rules."""
    reg = get_registry()
    percent = reg.unit("%")
    polarity = draw(st.sampled_from(tuple(Polarity)))
    shape = draw(st.sampled_from(("zero", "single", "range")))
    magnitudes = st.decimals(
        min_value=Decimal(-150),
        max_value=Decimal(150),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
    if shape == "zero":
        value: Quantity | Range = Quantity(Decimal(0), percent)
    elif shape == "single":
        value = Quantity(draw(engine_magnitudes(150).filter(lambda d: d > 0)), percent)
    else:
        low = draw(engine_magnitudes(100).filter(lambda d: d > 0))
        value = Range(Quantity(low, percent), Quantity(low + draw(engine_magnitudes(20)), percent))
    indicator = Indicator(
        "1",
        "Persentase",
        PercentageFormula("X", "Y"),
        targets=(Target(ENGINE_YEAR, value, "target"),),
        polarity=polarity,
        aggregation=draw(st.sampled_from((Aggregation.SUM, Aggregation.LAST))),
    )
    realisations = [
        Realisation("1:1", p, value=Quantity(draw(magnitudes), percent))
        for p in Period(ENGINE_YEAR).children(PeriodKind.QUARTER)
        if draw(st.booleans())
    ]
    return indicator, realisations


# --- value kinds (iki_core.valuekinds) -----------------------------------------------------------
@st.composite
def grade_scales(draw: st.DrawFn) -> object:
    """A grade scale: one of the shipped ones (``iki_core.valuekinds.GRADE_SCALES``) or one a
    host defines, of two to eight grades."""
    from iki_core.valuekinds import GRADE_SCALES, GradeScale

    if draw(st.booleans()):
        return GRADE_SCALES[draw(st.sampled_from(sorted(GRADE_SCALES)))]
    size = draw(st.integers(min_value=2, max_value=8))
    return GradeScale("host", "host scale", [f"G{i}" for i in range(size, 0, -1)])


def rank_texts(rank: int) -> st.SearchStrategy[str]:
    """The ways documents write rank ``rank``."""
    return st.sampled_from(
        (f"Rangking {rank}", f"Peringkat {rank}", f"peringkat ke-{rank}", f"{rank} besar")
    )


minutes = st.integers(min_value=1, max_value=10_000)
"""A service time in whole minutes."""

rupiah_millions = st.integers(min_value=1, max_value=10**7)
"""An amount in whole millions of rupiah."""


def cost_ratio(hostile: Callable[[], object], plain: Callable[[], object]) -> float:
    """How many times longer ``hostile`` takes than ``plain`` (an input of the same size
    and a well-formed shape), the best of three runs each: a bound on this ratio tests that
    cost grows linearly without a timed assert that depends on the machine."""
    import time

    def best(call: Callable[[], object]) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
        return min(times)

    return best(hostile) / max(best(plain), 1e-4)


@st.composite
def value_kind_indicators(draw: st.DrawFn) -> Indicator:
    """An indicator of a value kind (a grade of a shipped or a host's scale, a rank, a
    ratio, a bounded score) with a target or "-" for each year from 2018 to 2022, each read
    from the text a document writes."""
    from iki_core.kinds import GradeKind, RankKind, RatioKind, ScoreKind, parse_value

    which = draw(st.sampled_from(("grade", "rank", "ratio", "score")))
    kind: GradeKind | RankKind | RatioKind | ScoreKind
    if which == "grade":
        kind = GradeKind(draw(grade_scales()))  # type: ignore[arg-type]
        texts = st.sampled_from(kind.scale.grades)
    elif which == "rank":
        kind = RankKind()
        texts = st.integers(1, 40).flatmap(rank_texts)
    elif which == "ratio":
        kind = RatioKind()
        texts = st.integers(1, 60).map(lambda n: f"1:{n}")
    else:
        kind = ScoreKind(Decimal(0), Decimal(100), "IKM")
        texts = st.integers(0, 1000).map(lambda n: f"{n // 10},{n % 10}")
    targets_ = []
    for year in range(2018, 2023):
        if draw(st.integers(0, 4)) == 0:
            targets_.append(Target(year, None, "-"))
        else:
            text = draw(texts)
            targets_.append(Target(year, parse_value(text, kind=kind), text))
    return Indicator(
        id=draw(st.from_regex(r"[1-9][0-9]?(\.[1-9])?", fullmatch=True)),
        name="Opini BPK" if which == "grade" else "Peringkat",
        kind=kind,
        targets=tuple(targets_),
    )


# --- table rows: the loaders' plain rows and the rest -----------------------------------
_TABLE_CELLS = (
    "12 unit",
    " 12 unit ",
    "3 kali",
    "100,00%",
    "90,5 %",
    "1.250",
    "1,250.5",
    "550",
    "-",
    "",
    "-5 unit",
    "4 SKHU",
    "dokum",
    "WTP",
    "A",
    "AA",
    "Peringkat 3",
    "80-90%",
    "12 orang",
    "2 laporan",
)
_TABLE_NAMES = (
    "Jumlah kegiatan",
    "Jumlah laporan kegiatan",
    "Persentase kasus selesai",
    "Jumlah motor yang dimiliki",
    "Opini BPK",
    "",
)
_TABLE_EXPLANATIONS = (
    "Cukup Jelas",
    "$(X/Y) * 100 \\%$ X = Jumlah kasus selesai Y = Jumlah kasus",
    "Semakin rendah semakin baik",
    "Jumlah aduan selesai dibagi jumlah aduan masuk dikali 100%",
)


@st.composite
def table_texts(draw: st.DrawFn) -> str:
    """The table of a sheet in the text layout whose rows mix plain target cells with
    every kind the loader reports (empty, unreadable, negative, in an unknown unit, of
    a value kind, in another unit than the row's others), continuation rows, numbered
    rows, repeated rows, data sources that look like targets and, at times, two columns
    of one year or years out of order."""
    years = draw(
        st.sampled_from(
            (
                ["2018", "2019", "2020", "2021"],
                ["2021", "2022", "2023"],
                ["2020", "2020", "2022"],
                ["2023", "2021", "2022"],
            )
        )
    )
    lines = [
        "\t".join(["No", "Sasaran", "Indikator", "Penjelasan", *["Target"] * len(years), "Sumber"]),
        "\t".join(["", "", "", "", *years, ""]),
    ]
    number = 0
    for _ in range(draw(st.integers(1, 14))):
        numbered = number == 0 or draw(st.booleans())
        if numbered:
            number += 1
        head = [str(number), f"Sasaran {number}"] if numbered else ["", ""]
        cells = [draw(st.sampled_from(_TABLE_CELLS)) for _ in years]
        source = draw(st.sampled_from(("Laporan kegiatan", "12 unit", "-", "", "100,00%")))
        name = draw(st.sampled_from(_TABLE_NAMES))
        explanation = draw(st.sampled_from(_TABLE_EXPLANATIONS))
        row = "\t".join([*head, name, explanation, *cells, source])
        lines += [row] * draw(st.integers(1, 2))
    return "\n".join(lines) + "\n"
