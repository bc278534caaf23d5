"""The catalogue's part of the front page (``portal.core.homepage``): most requested, topics, life events, count."""

from portal.core.homepage import register

from . import queries


def catalogue(request) -> dict:
    return {
        "most_requested": queries.most_requested(limit=8),
        "topics": queries.topics_with_counts(),
        "life_events": queries.life_events(),
        "service_count": queries.live_services().count(),
    }


register("services", catalogue)
