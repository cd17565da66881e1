"""Reports of achievements: typed JSON-ready rows and the outputs that write a report.

Build a :class:`Report` from a document and its achievements, then write it with any
registered output (``table``, ``json``, ``csv``, the LKjIP ``xlsx``, ``html`` and ``pdf``,
or one a host application registers with :func:`register_output`); :func:`report_rows`
gives the stable JSON rows that web applications return (docs/cli.md, "The JSON format"):

>>> import io
>>> from iki_core import Period, loaders
>>> from iki_core.engine import achievements
>>> from iki_core.realisations import load_realisations
>>> doc = loaders.load("examples/kesbangpol_lampung_barat_2018-2022.txt")
>>> rs = load_realisations("examples/realisasi_2021.csv", doc).raise_for_errors()
>>> q3 = [Period.parse("2021-Q3")]
>>> rows = achievements(doc, rs.realisations, q3)
>>> [r["percent"] for r in report_rows(rows) if r["indicator"] == "2:1.1"]
['98.67']
>>> out = io.StringIO()
>>> get_output("csv").write(Report(doc, rows, q3, lang="en"), out)
>>> out.getvalue().splitlines()[3]
'2:1.1,Jumlah surat masuk,2021-Q3,412.5,,407,,98.67,74.00,not_achieved,Sangat Tinggi'
"""

from iki_core.report.chart import chart_indicator, chart_sheet
from iki_core.report.csv import CSV_COLUMNS, write_csv
from iki_core.report.frames import to_arrow, to_pandas, to_polars
from iki_core.report.html import render_html, write_html
from iki_core.report.lkjip import LkjipTable, build_table, year_and_quarters
from iki_core.report.model import Report, formula_text
from iki_core.report.outputs import (
    Output,
    Writer,
    get_output,
    output_for,
    output_names,
    register_output,
    unregister_output,
)
from iki_core.report.pdf import write_pdf
from iki_core.report.rows import (
    JSON_KEYS,
    AchievementRow,
    NoticeRow,
    QuantityRow,
    RangeRow,
    RollupRow,
    make_converter,
    report_rows,
    rollup_rows,
    write_json,
)
from iki_core.report.select import select_document
from iki_core.report.table import render_table, write_table
from iki_core.report.template import (
    TemplateRow,
    template_rows,
    write_template_csv,
    write_template_xlsx,
)
from iki_core.report.xlsx import write_xlsx

__all__ = [
    "CSV_COLUMNS",
    "JSON_KEYS",
    "AchievementRow",
    "LkjipTable",
    "NoticeRow",
    "Output",
    "QuantityRow",
    "RangeRow",
    "Report",
    "RollupRow",
    "TemplateRow",
    "Writer",
    "build_table",
    "chart_indicator",
    "chart_sheet",
    "formula_text",
    "get_output",
    "make_converter",
    "output_for",
    "output_names",
    "register_output",
    "render_html",
    "render_table",
    "report_rows",
    "rollup_rows",
    "select_document",
    "template_rows",
    "to_arrow",
    "to_pandas",
    "to_polars",
    "unregister_output",
    "write_csv",
    "write_html",
    "write_json",
    "write_pdf",
    "write_table",
    "write_template_csv",
    "write_template_xlsx",
    "write_xlsx",
    "year_and_quarters",
]
