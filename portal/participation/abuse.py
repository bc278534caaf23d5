"""The pieces of the supports' abuse controls that need no database: the normalised form of an e-mail address, the
network an address belongs to, and the moderators' lists of networks and domains.

UK e-petitions does the same: aliases of one mailbox (``ana.lopez+1@gmail.com``, ``analopez@googlemail.com``) are one
person, and a surge shows as many supports from one network (an IPv4 /24, an IPv6 /48: one office, one provider's
customer, one server farm) or one e-mail domain.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The mailboxes that ignore dots in the local part, and the domain they are all known by.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
IPV4_PREFIX = 24
IPV6_PREFIX = 48

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def email_domain(address: str) -> str:
    """The domain of ``address``, lower case, as the normalised form has it (``googlemail.com`` is ``gmail.com``)."""
    _local, _at, domain = address.strip().rpartition("@")
    domain = domain.lower().rstrip(".")
    return DOTLESS_DOMAINS.get(domain, domain)


def normalise_email(address: str) -> str:
    """One key per mailbox: lower case, without a ``+tag``, and without dots where the provider ignores them."""
    local, at, _domain = address.strip().rpartition("@")
    if not at:
        return address.strip().lower()
    domain = email_domain(address)
    local = local.lower().split("+", 1)[0]
    if domain in DOTLESS_DOMAINS.values():
        local = local.replace(".", "")
    return f"{local}@{domain}"


def _ip(address: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def address_key(address: str | None) -> str:
    """A keyed digest of the address: the same address always gives the same key (so windows and invalidations can
    count per address) but the address cannot be read back from it. Empty when there is no valid address."""
    ip = _ip(address)
    if ip is None:
        return ""
    key = hashlib.sha256(("participation-support-address:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, ip.packed, hashlib.sha256).hexdigest()


def network_of(address: str | None) -> str:
    """The /24 (IPv4) or /48 (IPv6) ``address`` is in, as text; empty when there is no valid address."""
    ip = _ip(address)
    if ip is None:
        return ""
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def parse_networks(text: str) -> list[IpNetwork]:
    """One address or network per line (``#`` starts a comment); a clear message names the first line that is not."""
    networks = []
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValidationError(
                _("La línea %(line)s («%(entry)s») no es una dirección IP ni una red (por ejemplo 201.141.12.0/24).")
                % {"line": number, "entry": entry[:60]},
                code="invalid_network",
            ) from None
    return networks


def parse_domains(text: str) -> list[str]:
    """One e-mail domain per line, lower case; a clear message names the first line that is not one."""
    domains = []
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip().lower().lstrip("@").rstrip(".")
        if not entry:
            continue
        labels = entry.split(".")
        if len(labels) < 2 or not all(label and len(label) <= 63 and _domain_label(label) for label in labels):
            raise ValidationError(
                _("La línea %(line)s («%(entry)s») no es un dominio de correo (por ejemplo ejemplo.com.mx).")
                % {"line": number, "entry": entry[:60]},
                code="invalid_domain",
            )
        domains.append(DOTLESS_DOMAINS.get(entry, entry))
    return domains


def _domain_label(label: str) -> bool:
    return all(c.isalnum() or c == "-" for c in label) and not label.startswith("-") and not label.endswith("-")


def in_networks(address: str | None, networks: list[IpNetwork]) -> bool:
    ip = _ip(address)
    if ip is None or not networks:
        return False
    return any(ip.version == network.version and ip in network for network in networks)


@dataclass(frozen=True)
class Target:
    """What a moderator's invalidation matches: a network as the surge tables show it (or one address), an e-mail
    domain, or both; optionally one petition and a period."""

    network: str
    domain: str


def parse_target(network: str, domain: str) -> Target:
    """The conditions of an invalidation, checked: at least a network/address or a domain, each well formed."""
    network, domain = network.strip(), domain.strip().lower().lstrip("@")
    if not network and not domain:
        raise ValidationError(
            _("Escriba una red o dirección IP, un dominio de correo, o ambos: no se anulan apoyos sin una condición."),
            code="no_condition",
        )
    if network:
        try:
            parsed = ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ValidationError(
                _("«%(entry)s» no es una dirección IP ni una red como las de la tabla (por ejemplo 201.141.12.0/24).")
                % {"entry": network[:60]},
                code="invalid_network",
            ) from None
        full = 32 if parsed.version == 4 else 128
        grouped = IPV4_PREFIX if parsed.version == 4 else IPV6_PREFIX
        if parsed.prefixlen not in (full, grouped):
            raise ValidationError(
                _("Escriba una dirección IP o una red /%(v4)s (IPv4) o /%(v6)s (IPv6), como las de la tabla.")
                % {"v4": IPV4_PREFIX, "v6": IPV6_PREFIX},
                code="network_size",
            )
        network = str(parsed.network_address) if parsed.prefixlen == full else str(parsed)
    if domain:
        domain = parse_domains(domain)[0]
    return Target(network=network, domain=domain)
