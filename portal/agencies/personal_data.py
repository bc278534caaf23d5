"""This app's part of the person's data download (docs/accounts.md): the roles the account holds in institutions.

Staff accounts cannot be closed by their holder (``accounts.check_can_close_account``): roles are removed by the
institution's administration, so there is no eraser.
"""

from __future__ import annotations

from typing import Any

from portal.accounts.personal_data import declare_kept, register_exporter

from .models import StaffRole


def export_for_account(user) -> list[dict[str, Any]]:
    return [
        {
            "institucion": role.agency.name,
            "rol": role.get_role_display(),
            "oficina": str(role.office) if role.office_id else None,
            "otorgado": role.granted_at.isoformat() if role.granted_at else None,
        }
        for role in StaffRole.objects.filter(user_id=user.pk).select_related("agency", "office").order_by("pk")
    ]


register_exporter("funciones_en_instituciones", export_for_account, models=["agencies.StaffRole"])
declare_kept(
    "agencies.StaffRole",
    "only the institution's administration removes a role; accounts with roles cannot be closed by their holder",
)
