"""The reports people hand in: the LKjIP measurement table as xlsx, HTML and PDF, and
charts of achievement over the quarters.

>>> from iki_core import Period, loaders
>>> from iki_core.engine import achievements
>>> from iki_core.realisations import load_realisations
>>> from iki_core.rules import DEFAULT_RULES
>>> doc = loaders.load("examples/kesbangpol_lampung_barat_2018-2022.txt")
>>> rs = load_realisations("examples/realisasi_2021.csv", doc)
>>> a = achievements(doc, rs.realisations, [Period.parse("2021-Q3")])
>>> table = build_table(doc, a, DEFAULT_RULES, lang="id")
>>> table.title
'PENGUKURAN KINERJA TRIWULAN III 2021'
>>> [r.percent for r in table.sheets[0].means]
[Decimal('80.36')]

Writers: :func:`write_xlsx` (openpyxl, the ``xlsx`` extra), :func:`write_html` (Jinja2, the
``html`` extra), :func:`write_pdf` (fpdf2 and matplotlib's fonts, the ``pdf`` extra);
charts: :func:`chart_indicator` and :func:`chart_sheet` (matplotlib, the ``chart`` extra).
Each imports its library only when called.
"""

from iki_core.lkjip.chart import chart_indicator, chart_sheet
from iki_core.lkjip.html import render_html, write_html
from iki_core.lkjip.pdf import write_pdf
from iki_core.lkjip.table import LkjipTable, build_table, year_and_quarters
from iki_core.lkjip.xlsx import write_xlsx

__all__ = [
    "LkjipTable",
    "build_table",
    "chart_indicator",
    "chart_sheet",
    "render_html",
    "write_html",
    "write_pdf",
    "write_xlsx",
    "year_and_quarters",
]
