"""Where the CMS at /admin/ saves in production: site.yml's optional `cms:` mapping, once read.

Kept apart from `cms_config` (which reads the record fields) so that the site model can hold
it without importing the CMS's configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CmsSettings"]


@dataclass(frozen=True, slots=True)
class CmsSettings:
    """A GitHub repository (owner/name), its branch, and the OAuth service's sign-in address."""

    repo: str
    branch: str = "main"
    auth_url: str | None = None
    """The full address of the OAuth service's sign-in endpoint, e.g. https://auth.example.org/auth."""
