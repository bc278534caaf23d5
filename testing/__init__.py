"""What the tests share, and only the tests: nothing under ``portal/`` imports this package, and production never
loads it.

- ``testing.clients``: ``client_for(user)`` (a Django test client signed in as staff, with a second factor) and
  ``sign_in_staff(client, user)``.
- ``testing.totp``: ``totp_code``, the RFC 6238 code an authenticator app would show, and ``fresh_totp_code``.
- ``testing.oidc``: a system registered with the OpenID Connect provider, a PKCE pair.
- ``testing.servers``: a real SMTP server and Debian's Kannel gateway (with a fake operator), a catcher of delivery
  reports, ``run_worker`` and ``wait_until``.
- ``testing.db``: ``built_for_the_module`` and ``fresh``: a world that costs seconds to build, built once per test
  module in a transaction each test nests in (like ``TestCase.setUpTestData``), with fresh copies for every test.
- ``testing.tools``: ``missing_tool``: a tool the tests need and the machine lacks skips the test, and fails it under
  ``CI=true``.
- ``testing.plugin``: the pytest fixtures of ``testing.servers`` (``smtp_server``, ``smtp_settings``,
  ``kannel_gateway``, ``kannel_settings``, ``delivery_report_catcher``), registered by the root ``conftest.py``.

Each app's builders of test data are in ``portal/<app>/tests/factories.py``; the browser harness is
``functional_tests/`` (``checks.py``, ``person.py``, ``conftest.py``). See docs/testing.md.
"""
