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
        "diagnostics",
        "realisation_checks",
        "loaders",
        "loaders.registry",
    ):
        module = importlib.import_module(f"iki_core.{module_name}")
        for name in module.__all__:
            assert hasattr(module, name), f"{module_name}.{name}"


def test_version() -> None:
    assert iki_core.__version__ == importlib.metadata.version("iki-core")
