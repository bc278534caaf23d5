from portal.participation.tests.conftest import private_dir  # noqa: F401 - each test's files in a folder of its own
