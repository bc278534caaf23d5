"""ASGI entry point for granian (tools/serve.sh): Django behind the guard that reads request bodies with a deadline.

Served this way, a client that sends its body slowly holds a coroutine, not one of the server's threads
(portal/core/asgi_guard.py). ``config.wsgi`` stays for gunicorn or a server behind a buffering proxy.
"""

import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_application = get_asgi_application()

from portal.core.asgi_guard import RequestBodyGuard  # noqa: E402 - needs the settings configured above

# Django serves a file response (static files through WhiteNoise, attachments, PDFs) under ASGI by reading its
# synchronous iterator in a thread; it works, and warns once per process that an async iterator would be faster.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
application = RequestBodyGuard(django_application)
