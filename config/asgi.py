"""ASGI entry point for granian (tools/serve.sh): the WSGI application behind the guard that reads request bodies
with a deadline.

Served this way, a client that sends its body slowly holds a coroutine, not one of the server's threads
(portal/core/asgi_guard.py). Behind the guard, Django runs as the WSGI application it is everywhere else, through
a2wsgi's bridge with one thread per process, the model measured fastest here (docs/architecture.md, "serving"):
Django's own ASGI handler served a cached sheet at about a third of the WSGI rate on this machine, because every
synchronous middleware and view hops between the event loop and a thread. ``config.wsgi`` stays for gunicorn or a
server behind a buffering proxy.
"""

import os

from a2wsgi import WSGIMiddleware
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_application = get_wsgi_application()

from portal.core.asgi_guard import RequestBodyGuard  # noqa: E402 - needs the settings configured above

# One thread per process, as granian's WSGI ``--blocking-threads 1``: Django's request handling is CPU-bound here,
# and more threads only add GIL contention (the p99 measured 3-4 times worse with granian's default).
WSGI_THREADS = int(os.environ.get("WSGI_THREADS", "1"))
application = RequestBodyGuard(WSGIMiddleware(django_application, workers=WSGI_THREADS))
