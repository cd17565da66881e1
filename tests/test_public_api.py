"""The public surface: everything in ``iki_core.__all__`` exists, nothing else is public."""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
import types

import iki_core


def test_every_name_in_all_exists() -> None:
    for name in iki_core.__all__:
        assert hasattr(iki_core, name), name


def test_all_is_sorted_and_unique() -> None:
    assert list(iki_core.__all__) == sorted(iki_core.__all__)
    assert len(set(iki_core.__all__)) == len(iki_core.__all__)


def test_no_other_public_names() -> None:
    public = {name for name in vars(iki_core) if not name.startswith("_")}
    extra = {
        name
        for name in public - set(iki_core.__all__)
        if not isinstance(getattr(iki_core, name), types.ModuleType)
    }
    assert extra == set()


def test_submodules_in_the_namespace_are_the_package_own() -> None:
    own = {m.name for m in pkgutil.iter_modules(iki_core.__path__)}
    for name, value in vars(iki_core).items():
        if isinstance(value, types.ModuleType):
            assert name in own, name


def test_exported_objects_come_from_the_package() -> None:
    for name in iki_core.__all__:
        value = getattr(iki_core, name)
        module = getattr(value, "__module__", None)
        if module is not None and not isinstance(value, str):
            assert module.startswith("iki_core."), (name, module)


def test_module_all_lists_exist() -> None:
    for module_name in (
        "errors",
        "numbers",
        "units",
        "periods",
        "personnel",
        "model",
        "rules",
        "scales",
        "engine",
        "engine.formulas",
        "report",
        "diagnostics",
        "realisation_checks",
        "loaders",
        "loaders.registry",
    ):
        module = importlib.import_module(f"iki_core.{module_name}")
        for name in module.__all__:
            assert hasattr(module, name), f"{module_name}.{name}"


def test_report_api() -> None:
    # the public names of iki_core.report (docs/embedding.md, docs/extending.md)
    import iki_core.report

    assert sorted(iki_core.report.__all__) == sorted(
        [
            "CSV_COLUMNS", "JSON_KEYS", "AchievementRow", "NoticeRow", "Output", "QuantityRow",
            "RangeRow", "Report", "RollupRow", "Writer", "formula_text", "get_output",
            "make_converter", "output_for", "output_names", "register_output", "render_table",
            "report_rows", "rollup_rows", "unregister_output", "write_csv", "write_json",
            "write_table", "LkjipTable", "build_table", "year_and_quarters",
            "chart_indicator", "chart_sheet", "to_arrow", "to_pandas", "to_polars",
            "render_html", "write_html", "write_pdf", "write_xlsx",
            "select_document", "TemplateRow", "template_rows", "write_template_csv",
            "write_template_xlsx",
        ]
    )  # fmt: skip
    for name in iki_core.report.__all__:
        assert hasattr(iki_core.report, name), name
    # the JSON rows stay importable from the command's module, as before
    from iki_core.cli import report_rows

    assert report_rows is iki_core.report.report_rows


def test_version() -> None:
    assert iki_core.__version__ == importlib.metadata.version("iki-core")


def test_tracking_namespace() -> None:
    # iki_core.tracking is a public namespace of its own (docs/tracking.md)
    import iki_core.tracking as tracking

    # sorted as ruff sorts __all__ (RUF022): constants, then classes, then functions
    assert tracking.__all__ == [
        "SCHEMA_VERSION",
        "WIB",
        "Change",
        "Completeness",
        "Entry",
        "Evidence",
        "ExpectedReport",
        "Imported",
        "KeyState",
        "Ledger",
        "LedgerError",
        "Rate",
        "Report",
        "ReportStatus",
        "Review",
        "ReviewState",
        "SchemaVersionError",
        "SqlLedger",
        "UnknownEntryError",
        "completeness",
        "import_realisations",
        "realisations_from_records",
    ]
    for module_name in ("ledger", "records", "reporting", "cli", "imports"):
        module = importlib.import_module(f"iki_core.tracking.{module_name}")
        for name in module.__all__:
            assert hasattr(module, name), f"tracking.{module_name}.{name}"


def test_the_formula_registry_is_public_from_the_package_and_the_engine() -> None:
    import iki_core.engine

    for name in ("Formula", "formula", "register_formula"):
        assert getattr(iki_core, name) is getattr(iki_core.engine, name)
    assert iki_core.formula("kondisi_khusus").symbol == "(2T - R) / T"
