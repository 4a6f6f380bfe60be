"""The head names its own scripts by their content's hash, so a repeat visit can use its copies."""

import hashlib

from crm_app.components.pwa import ASSETS, versioned


def test_a_head_script_is_named_by_its_content():
    for path in ("/pwa.js", "/session_marker.js"):
        digest = hashlib.sha256((ASSETS / path[1:]).read_bytes()).hexdigest()[:12]
        assert versioned(path) == f"{path}?v={digest}"
