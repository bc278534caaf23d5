"""allauth's e-mail verification step, taught that an account may have a mobile number and no e-mail at all.

allauth only offers one-time codes for e-mail when verification is «mandatory», and it then expects every account to
have an address. Ventanilla's accounts have an e-mail, a number, or both; the phone step (allauth's own) verifies the
number, and this step steps aside when there is no address to verify:

- a sign-up or sign-in of an account that has only a number;
- the enumeration-safe pretence of a sign-up with a number that already has an account.

An account with an address must have it verified, however its holder signs in: an unverified address is someone's
claim on it, and allauth would refuse that address to its real owner.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage as AllauthEmailVerificationStage


class EmailVerificationStage(AllauthEmailVerificationStage):
    def handle(self):
        login = self.login
        if not login.email:
            user = login.user
            if user is None:
                return None, True
            if not EmailAddress.objects.filter(user_id=user.pk).exists():
                return None, True
        return super().handle()
