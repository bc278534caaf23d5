"""The demo loaders that the domains contribute, found by module name and put in the order they declare.

An app contributes to ``manage.py seed_demo`` with a ``demo.py`` module in its package (``portal/<app>/demo.py``),
which this app imports by name at start-up; no domain imports ``portal.demo``. The module may define:

``DEMO_AFTER``
    the labels of the apps whose loaders must run first (e.g. ``("geo",)``); labels without a loader are ignored.
``DEMO_ERRORS``
    the exceptions that mean "a data file is wrong": the seed stops with their message instead of a traceback.
``demo_sources(seed) -> list[Path | str]``
    the data files (or version strings) the catalogue checksum covers.
``demo_still_loaded(details) -> bool``
    whether what the last catalogue load wrote is still there (``details`` is what the loaders recorded).
``load_demo_catalogue(seed)``
    the catalogue step: runs only when a source changed (or with ``--force``), with every other loader's catalogue
    step in one transaction, tasks enqueued meanwhile dropped (each loader redoes what they would in ``load_demo``).
``load_demo(seed)``
    the step that runs every time, after the catalogue committed (search index, forms, accounts...).

A module named ``demo`` without ``load_demo_catalogue`` or ``load_demo`` (such as ``portal.registry.demo``, its fixed
people) is not a loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

MODULE_NAME = "demo"
HOOKS = ("load_demo_catalogue", "load_demo")


@dataclass(frozen=True)
class Loader:
    label: str
    module: ModuleType

    @property
    def after(self) -> tuple[str, ...]:
        return tuple(getattr(self.module, "DEMO_AFTER", ()))

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        return tuple(getattr(self.module, "DEMO_ERRORS", ()))

    def hook(self, name: str):
        return getattr(self.module, name, None)


_loaders: list[Loader] = []


def autodiscover() -> list[Loader]:
    """Import every installed ``portal`` app's ``demo`` module and keep those that are loaders, in order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("portal.") or config.label == "demo":
            continue
        if not module_has_submodule(config.module, MODULE_NAME):
            continue
        module = import_module(f"{config.name}.{MODULE_NAME}")
        if any(callable(getattr(module, hook, None)) for hook in HOOKS):
            found.append(Loader(config.label, module))
    _loaders[:] = ordered(found)
    return list(_loaders)


def registered() -> list[Loader]:
    return list(_loaders)


def ordered(loaders: list[Loader]) -> list[Loader]:
    """Each loader after those it names in ``DEMO_AFTER``; otherwise in the order of INSTALLED_APPS."""
    by_label = {loader.label: loader for loader in loaders}
    result: list[Loader] = []
    visiting: set[str] = set()

    def visit(loader: Loader) -> None:
        if loader in result:
            return
        if loader.label in visiting:
            raise ValueError(f"demo loaders: circular DEMO_AFTER through «{loader.label}»")
        visiting.add(loader.label)
        for label in loader.after:
            if label in by_label:
                visit(by_label[label])
        visiting.discard(loader.label)
        result.append(loader)

    for loader in loaders:
        visit(loader)
    return result
