"""The agencies' part of the front page (``portal.core.homepage``): the three levels of government and their counts."""

from portal.core.homepage import register

from . import queries


def levels(request) -> dict:
    return {"levels": queries.levels_with_counts()}


register("agencies", levels)
