"""iki_core: Indonesian government performance indicators (IKI/IKU).

Read IKI sheets, model their indicators and targets, record realisations
(realisasi) and compute achievement (capaian) exactly, with every rule
explicit and cited.

>>> import iki_core
>>> iki_core.parse_number("1.250")
Decimal('1250')
>>> iki_core.parse_quantity("2 lusin") == iki_core.parse_quantity("24 buah")
True
>>> str(iki_core.Period.parse("TW III 2021"))
'2021-Q3'
"""

from iki_core.engine import (
    Achievement,
    Formula,
    Notice,
    Rollup,
    Status,
    achievement,
    achievements,
    formula,
    register_formula,
    rollup,
)
from iki_core.errors import (
    FileReadError,
    IkiError,
    IkiParseError,
    IkiTypeError,
    InvalidValueError,
    MissingFileError,
    NumberParseError,
    PeriodParseError,
    QuantityParseError,
    TextParseError,
    UnitMismatchError,
    UnknownIndicatorError,
    UnknownScaleError,
    UnknownUnitError,
)
from iki_core.loaders import dump, dumps, load, loads
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
from iki_core.numbers import format_number, parse_number, round_half_up
from iki_core.periods import Period, PeriodKind, parse_date, parse_place_date
from iki_core.personnel import Golongan, Nip, Rank, parse_rank
from iki_core.realisations import (
    RealisationSet,
    check_realisation,
    check_realisations,
    load_realisations,
    loads_realisations,
)
from iki_core.rules import (
    HigherIsBetterFormula,
    LowerIsBetterFormula,
    MissingPeriod,
    PeriodTarget,
    RangeRule,
    RatingScale,
    Rounding,
    Rules,
    YearToDate,
    ZeroDenominator,
    ZeroRealisation,
    ZeroTargetHigher,
    ZeroTargetLower,
    skp_predikat,
)
from iki_core.units import (
    Quantity,
    Unit,
    UnitRegistry,
    get_registry,
    parse_quantity,
    set_registry,
)

__version__ = "0.1.0"

__all__ = [
    "Achievement",
    "Aggregation",
    "Count",
    "Diagnostic",
    "Document",
    "EventReport",
    "EventWindow",
    "FileReadError",
    "Formula",
    "Golongan",
    "HigherIsBetterFormula",
    "IkiError",
    "IkiParseError",
    "IkiTypeError",
    "Indicator",
    "InvalidValueError",
    "LowerIsBetterFormula",
    "MissingFileError",
    "MissingPeriod",
    "Nip",
    "Notice",
    "NumberParseError",
    "Objective",
    "PercentageFormula",
    "Period",
    "PeriodKind",
    "PeriodParseError",
    "PeriodTarget",
    "Polarity",
    "Quantity",
    "QuantityParseError",
    "QuarterlyPlan",
    "Range",
    "RangeRule",
    "Rank",
    "RatingScale",
    "Realisation",
    "RealisationSet",
    "Rollup",
    "Rounding",
    "Rules",
    "Sheet",
    "Signatory",
    "SourceText",
    "Status",
    "Target",
    "TextParseError",
    "Unit",
    "UnitMismatchError",
    "UnitRegistry",
    "UnknownIndicatorError",
    "UnknownScaleError",
    "UnknownUnitError",
    "YearToDate",
    "ZeroDenominator",
    "ZeroRealisation",
    "ZeroTargetHigher",
    "ZeroTargetLower",
    "__version__",
    "achievement",
    "achievements",
    "check_realisation",
    "check_realisations",
    "dump",
    "dumps",
    "format_number",
    "formula",
    "get_registry",
    "load",
    "load_realisations",
    "loads",
    "loads_realisations",
    "parse_date",
    "parse_number",
    "parse_place_date",
    "parse_quantity",
    "parse_rank",
    "register_formula",
    "rollup",
    "round_half_up",
    "set_registry",
    "skp_predikat",
]
