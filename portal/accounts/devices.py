"""What the portal keeps about the device behind a sign-in: enough for a person to recognise it, not to track them.

- The network, never the address: IPv4 cut to its /24 and IPv6 to its /48 (``201.141.23.0/24``). That tells a person
  "this was my home connection" or "this was not me", and no more.
- The browser family and the operating system from the User-Agent (``chrome`` on ``android``), not the string itself:
  the full string, with versions and build numbers, helps fingerprint a person across sites.
"""

from __future__ import annotations

import ipaddress
import re

from django.db import models
from django.utils.translation import gettext_lazy as _

IPV4_PREFIX = 24
IPV6_PREFIX = 48


class Browser(models.TextChoices):
    EDGE = "edge", "Edge"
    OPERA = "opera", "Opera"
    SAMSUNG = "samsung", "Samsung Internet"
    FIREFOX = "firefox", "Firefox"
    CHROME = "chrome", "Chrome"
    SAFARI = "safari", "Safari"
    OTHER = "other", _("Otro navegador")


class Platform(models.TextChoices):
    ANDROID = "android", "Android"
    IOS = "ios", _("iPhone o iPad")
    WINDOWS = "windows", "Windows"
    MACOS = "macos", "macOS"
    CHROMEOS = "chromeos", "ChromeOS"
    LINUX = "linux", "Linux"
    OTHER = "other", _("Otro sistema")


# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", Android says "Linux".
_BROWSERS = [
    (re.compile(r"\bEdg(e|A|iOS)?/"), Browser.EDGE),
    (re.compile(r"\b(OPR|Opera)/"), Browser.OPERA),
    (re.compile(r"\bSamsungBrowser/"), Browser.SAMSUNG),
    (re.compile(r"\b(Firefox|FxiOS)/"), Browser.FIREFOX),
    (re.compile(r"\b(Chrome|Chromium|CriOS)/"), Browser.CHROME),
    (re.compile(r"\bVersion/[\d.]+.*\bSafari/"), Browser.SAFARI),
]
_PLATFORMS = [
    (re.compile(r"\bAndroid\b"), Platform.ANDROID),
    (re.compile(r"\b(iPhone|iPad|iPod)\b"), Platform.IOS),
    (re.compile(r"\bWindows\b"), Platform.WINDOWS),
    (re.compile(r"\bCrOS\b"), Platform.CHROMEOS),
    (re.compile(r"\b(Macintosh|Mac OS X)\b"), Platform.MACOS),
    (re.compile(r"\bLinux\b"), Platform.LINUX),
]
# Nobody's real User-Agent is longer; a longer one is junk and is not worth scanning.
MAX_USER_AGENT = 512


def coarse_network(address: str | None) -> str:
    """The /24 (IPv4) or /48 (IPv6) that holds ``address``; empty for anything that is not an address."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def browser_family(user_agent: str | None) -> str:
    text = (user_agent or "")[:MAX_USER_AGENT]
    return next((browser for pattern, browser in _BROWSERS if pattern.search(text)), Browser.OTHER).value


def platform_family(user_agent: str | None) -> str:
    text = (user_agent or "")[:MAX_USER_AGENT]
    return next((platform for pattern, platform in _PLATFORMS if pattern.search(text)), Platform.OTHER).value
