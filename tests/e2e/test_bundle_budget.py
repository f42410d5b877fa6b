"""The sign-in page's JavaScript stays within its budget: 250 KB gzipped, everything it loads first."""

from __future__ import annotations

import gzip
import re

from tests.e2e.conftest import BUILT_APP

BUDGET_BYTES = 250 * 1024


def initial_scripts() -> list[str]:
    """The entry module and the chunks it preloads: what the browser fetches before showing anything."""
    html = BUILT_APP.read_text()
    entries = re.findall(r'<script type="module"[^>]*src="(/assets/[^"]+\.js)"', html)
    preloads = re.findall(r'<link rel="modulepreload"[^>]*href="(/assets/[^"]+\.js)"', html)
    return entries + preloads


def test_sign_in_page_javascript_is_within_budget():
    scripts = initial_scripts()
    assert scripts, "no entry script found in the built index.html"
    sizes = {path: len(gzip.compress((BUILT_APP.parent / path.lstrip("/")).read_bytes(), 9)) for path in scripts}
    total = sum(sizes.values())
    print(f"initial JavaScript: {total / 1024:.1f} KB gzipped in {len(sizes)} file(s): {sizes}")
    assert total <= BUDGET_BYTES, f"{total / 1024:.1f} KB gzipped > {BUDGET_BYTES / 1024:.0f} KB: {sizes}"
