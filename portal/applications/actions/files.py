"""The door other apps use to the applications' checks of the files people send (``uploads``): the same type by
content, size limits, metadata cleaning and private storage for every file a citizen hands to the portal, so a
petition's attachments (``portal.participation``) are accepted or refused exactly as an application's are.
"""

from __future__ import annotations

from django.core.files.storage import Storage

from .. import uploads
from ..uploads import (
    CleanFile,
    UploadRejected,
    check_total_size,
    inspect_upload,
    max_file_bytes,
    private_file_response,
    store_clean_file,
)


def private_storage() -> Storage:
    """The storage no URL serves (``STORAGES["private"]``), where citizens' files and issued PDFs are kept."""
    return uploads.private_storage()


__all__ = [
    "CleanFile",
    "UploadRejected",
    "check_total_size",
    "inspect_upload",
    "max_file_bytes",
    "private_file_response",
    "private_storage",
    "store_clean_file",
]
