"""Where the CMS at /admin/ saves in production: site.yml's optional `cms:` mapping, checked.

`read_cms_settings` checks the mapping (repository, branch, sign-in address) into the model's
`CmsSettings`, reporting each problem with a fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.model import CmsSettings, is_web_url

CMS_KEYS = ("repo", "branch", "auth-url")
"""The keys of site.yml's optional `cms:` mapping."""
_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_BRANCH = re.compile(r"(?!/)(?!.*(?:\.\.|//|@\{|\.lock$|/$|\.$))[A-Za-z0-9._/-]+")


def read_cms_settings(labels: Mapping[str, str] | None, where: Where,
                      diagnostics: Diagnostics) -> CmsSettings | None:
    """Check site.yml's `cms:` mapping (already read as id: text); None when absent or invalid."""
    if labels is None:
        return None
    errors_before = diagnostics.error_count
    for key in sorted(set(labels) - set(CMS_KEYS)):
        diagnostics.error(where, f"cms.{key}", f"unknown key '{key}'", "valid keys: " + ", ".join(CMS_KEYS))
    repo, branch, auth_url = labels.get("repo"), labels.get("branch", "main"), labels.get("auth-url")
    if repo is None:
        diagnostics.error(where, "cms.repo", "required key 'repo' is missing",
                          "add the GitHub repository as owner/name, for example repo: my-org/my-library")
    elif not _REPO.fullmatch(repo):
        diagnostics.error(where, "cms.repo", f"'{repo}' is not a GitHub repository",
                          "write it as owner/name, as in the repository's address on github.com")
    if not _BRANCH.fullmatch(branch):
        diagnostics.error(where, "cms.branch", f"'{branch}' is not a branch name",
                          "the branch the site is published from, for example main")
    if auth_url is not None and not (is_web_url(auth_url) and auth_url.startswith("https://")):
        diagnostics.error(where, "cms.auth-url", f"'{auth_url}' is not an https address",
                          "the full address of the OAuth service's sign-in page, starting with https://")
    if diagnostics.error_count > errors_before or repo is None:
        return None
    return CmsSettings(repo, branch, auth_url)
