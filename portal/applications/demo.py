"""The online applications' part of ``manage.py seed_demo``: the demo forms (``definitions/demo.py``).

A demo loader (see ``portal/demo/loaders.py``): the demo app imports this module by name; nothing here imports it.
"""

from __future__ import annotations

from .definitions.demo import load_demo_forms

DEMO_AFTER = ("services",)  # each form belongs to a service sheet


def load_demo(seed) -> None:
    """Every run: the forms keep their own checksum, and a catalogue loaded after them may now have their services."""
    seed.say(load_demo_forms().summary())
