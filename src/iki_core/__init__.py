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

from iki_core.errors import (
    IkiError,
    IkiParseError,
    IkiTypeError,
    InvalidValueError,
    NumberParseError,
    PeriodParseError,
    QuantityParseError,
    UnitMismatchError,
    UnknownIndicatorError,
    UnknownUnitError,
)
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
    "Aggregation",
    "Count",
    "Diagnostic",
    "Document",
    "EventReport",
    "EventWindow",
    "Golongan",
    "IkiError",
    "IkiParseError",
    "IkiTypeError",
    "Indicator",
    "InvalidValueError",
    "Nip",
    "NumberParseError",
    "Objective",
    "PercentageFormula",
    "Period",
    "PeriodKind",
    "PeriodParseError",
    "Polarity",
    "Quantity",
    "QuantityParseError",
    "QuarterlyPlan",
    "Range",
    "Rank",
    "Realisation",
    "Sheet",
    "Signatory",
    "SourceText",
    "Target",
    "Unit",
    "UnitMismatchError",
    "UnitRegistry",
    "UnknownIndicatorError",
    "UnknownUnitError",
    "__version__",
    "format_number",
    "get_registry",
    "parse_date",
    "parse_number",
    "parse_place_date",
    "parse_quantity",
    "parse_rank",
    "round_half_up",
    "set_registry",
]
