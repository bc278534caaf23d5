"""SMS gateways. ``SMS_BACKEND`` names the class; each takes a message and returns ``Accepted`` or raises.

- ``KannelBackend`` speaks to Kannel's smsbox ``/cgi-bin/sendsms`` (and through Kannel to any operator's SMSC over
  SMPP, UCP/EMI, CIMD...). It asks for delivery reports to ``delivery_report_url``.
- ``FileBackend`` writes each message to a file under ``SMS_FILE_PATH`` (the development default).
- ``MemoryBackend`` keeps messages in ``MemoryBackend.outbox`` (the test default, like Django's locmem e-mail).
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from .channels import Accepted, DeliveryError
from .sms import sms_info

# Delivered to phone (1), not delivered to phone (2), accepted by the SMSC (8), rejected by the SMSC (16).
KANNEL_DLR_MASK = 1 | 2 | 8 | 16


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    delivery_report_url: str = ""
    sender: str = field(default="")


class BaseSmsBackend:
    def send(self, message: SmsMessage) -> Accepted:
        raise NotImplementedError


def get_sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


class KannelBackend(BaseSmsBackend):
    """Kannel's HTTP sendsms interface.

    Kannel answers 202 once its bearerbox has the message (``0: Accepted for delivery``) or has stored it for later
    (``3: Queued for later delivery``); both mean that resending would duplicate it, so both count as accepted.
    Texts go as UTF-8 with ``coding`` 0 (GSM-7) or 2 (UCS-2) chosen by ``sms_info``; Kannel converts and splits
    them into concatenated parts (the sendsms-user needs ``concatenation = true`` and ``max-messages`` ≥ 3).
    """

    def __init__(self) -> None:
        self.url = settings.SMS_GATEWAY_URL
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise DeliveryError("SMS_GATEWAY_URL no es http(s)")
        self.timeout = settings.SMS_GATEWAY_TIMEOUT

    def send(self, message: SmsMessage) -> Accepted:
        params = {
            "username": settings.SMS_GATEWAY_USER,
            "password": settings.SMS_GATEWAY_PASSWORD,
            "to": message.to,
            "text": message.text,
            "charset": "UTF-8",
            "coding": "0" if sms_info(message.text).encoding == "gsm7" else "2",
        }
        sender = message.sender or settings.SMS_SENDER
        if sender:
            params["from"] = sender
        if message.delivery_report_url:
            params["dlr-mask"] = str(KANNEL_DLR_MASK)
            params["dlr-url"] = message.delivery_report_url
        separator = "&" if "?" in self.url else "?"
        url = f"{self.url}{separator}{urllib.parse.urlencode(params)}"
        request = urllib.request.Request(url, method="GET")  # noqa: S310 (scheme checked in __init__)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (scheme checked in __init__)
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, OSError) as error:
            raise DeliveryError(f"pasarela inaccesible ({type(error).__name__})") from None
        if 200 <= status < 300:
            return Accepted(final=False)
        # 400: a parameter Kannel will never accept (an invalid number); 401/403: our credentials, which the
        # operator fixes, so the message waits; 5xx: Kannel could not take it now.
        raise DeliveryError(f"HTTP {status}", permanent=status in (400, 404, 413, 414))


class FileBackend(BaseSmsBackend):
    def send(self, message: SmsMessage) -> Accepted:
        directory = Path(settings.SMS_FILE_PATH)
        directory.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%d-%H%M%S}-{get_random_string(8)}.txt"
        info = sms_info(message.text)
        (directory / name).write_text(
            f"Para: {message.to}\nCodificación: {info.encoding}, segmentos: {info.segments}\n\n{message.text}\n",
            encoding="utf-8",
        )
        return Accepted(provider_message_id=name, final=True)


class MemoryBackend(BaseSmsBackend):
    outbox: list[SmsMessage] = []  # shared on purpose, like django.core.mail.outbox
    _lock = threading.Lock()

    def send(self, message: SmsMessage) -> Accepted:
        with self._lock:
            MemoryBackend.outbox.append(message)
        return Accepted(provider_message_id=f"memory-{len(MemoryBackend.outbox)}", final=True)
