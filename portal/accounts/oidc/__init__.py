"""OpenID Connect provider for agency systems: clients registered per agency, consent, claims (docs/oidc.md)."""
