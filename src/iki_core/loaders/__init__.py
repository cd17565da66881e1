r"""Read and write IKI documents: text extracted from PDFs, CSV and JSON.

>>> from iki_core.loaders import dumps, loads
>>> doc = loads("No;Sasaran;Indikator;Penjelasan;2021;2022;Sumber Data\n"
...             "1;Tersedianya jasa surat;Jumlah surat masuk;Cukup Jelas;550;600;Agenda\n"
...             ";;Jumlah surat keluar;Cukup Jelas;450;-;Agenda\n")
>>> doc.indicator("1:1.2").name
'Jumlah surat keluar'
>>> loads(dumps(doc)) == doc
True

The layouts, the diagnostics and the inference rules (and how to override
them with :class:`LoaderOptions`) are described in docs/formats.md; how to add a
format (:func:`register_format`) in docs/extending.md.
"""

from iki_core.loaders.api import FORMATS, dump, dumps, load, loads
from iki_core.loaders.options import Candidate, IndicatorOverride, Inference, LoaderOptions
from iki_core.loaders.registry import (
    DocumentFormat,
    ReadContext,
    detect_format,
    format_for_suffix,
    formats,
    get_format,
    register_format,
    unregister_format,
)

__all__ = [
    "FORMATS",
    "Candidate",
    "DocumentFormat",
    "IndicatorOverride",
    "Inference",
    "LoaderOptions",
    "ReadContext",
    "detect_format",
    "dump",
    "dumps",
    "format_for_suffix",
    "formats",
    "get_format",
    "load",
    "loads",
    "register_format",
    "unregister_format",
]
