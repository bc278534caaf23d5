from portal.core.checks import check_private_storage


def _private(settings, location):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}},
    }


def test_configured_private_storage_passes():
    assert check_private_storage() == []


def test_private_files_inside_media_root_are_an_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    _private(settings, tmp_path / "media" / "private")
    assert [error.id for error in check_private_storage()] == ["portal.E003"]


def test_media_root_inside_the_private_directory_is_an_error(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "var" / "static"
    _private(settings, tmp_path / "var")
    assert [error.id for error in check_private_storage()] == ["portal.E003"]


def test_private_storage_without_a_location_or_missing_is_an_error(settings, tmp_path):
    _private(settings, None)
    assert [error.id for error in check_private_storage()] == ["portal.E002"]
    settings.STORAGES = {key: value for key, value in settings.STORAGES.items() if key != "private"}
    assert [error.id for error in check_private_storage()] == ["portal.E001"]


def test_another_backend_is_trusted_to_be_private(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "privado"}},
    }
    assert check_private_storage() == []
