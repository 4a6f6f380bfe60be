"""The copy-paste HTML of a website form, as /settings/api shows it.

Plain HTML that works without JavaScript (the browser posts and shows the endpoint's thank-you page),
enhanced by a few lines of script that post with ``fetch`` (multipart: a simple CORS request, no
preflight) and show the answer or each field's error in the page's language. It carries the hidden
``website`` honeypot and the consent checkbox when the form has a consent text.
"""

from __future__ import annotations

import html
import json

from crm_app.domain.web_form_input import CONSENT, HONEYPOT
from crm_app.i18n import t
from crm_app.settings import get_settings


def endpoint_url(public_key: str, base_url: str | None = None) -> str:
    return f"{(base_url or get_settings().public_url).rstrip('/')}/api/v1/forms/{public_key}"


def snippet(public_key: str, consent_text: str, language: str, base_url: str | None = None) -> str:
    def label(key: str) -> str:
        return html.escape(t(key, language))

    form_id = f"clientela-{public_key}"
    consent = (
        f'  <p><label><input type="checkbox" name="{CONSENT}" value="1"> {html.escape(consent_text)}'
        "</label></p>\n" if consent_text else ""
    )
    script = (
        "(function(){var f=document.getElementById(__ID__);"
        "var s=f.querySelector('[data-clientela-status]');"
        "f.addEventListener('submit',function(e){e.preventDefault();s.textContent='';"
        "fetch(f.action,{method:'POST',body:new FormData(f),headers:{'Accept':'application/json'}})"
        ".then(function(r){return r.json().then(function(b){"
        "if(r.ok){f.reset();s.textContent=__SENT__;return;}"
        "s.textContent=(b.errors||[]).map(function(x){return x.detail;}).join(' ')||b.detail;});})"
        ".catch(function(){s.textContent=__FAILED__;});});})();"
    )
    for name, value in (("__ID__", form_id), ("__SENT__", t("webform_f_sent", language)),
                        ("__FAILED__", t("webform_f_failed", language))):
        script = script.replace(name, json.dumps(value))
    return (
        f'<form id="{form_id}" action="{html.escape(endpoint_url(public_key, base_url))}" method="post">\n'
        f'  <p><label>{label("webform_f_name")} <input name="name" required maxlength="200" '
        'autocomplete="name"></label></p>\n'
        f'  <p><label>{label("webform_f_phone")} <input name="phone" type="tel" '
        'autocomplete="tel"></label></p>\n'
        f'  <p><label>{label("webform_f_email")} <input name="email" type="email" '
        'autocomplete="email"></label></p>\n'
        f'  <p><label>{label("webform_f_message")} <textarea name="message" maxlength="2000"></textarea>'
        "</label></p>\n"
        f"{consent}"
        '  <p style="position:absolute;left:-10000px" aria-hidden="true"><label>Website '
        f'<input name="{HONEYPOT}" tabindex="-1" autocomplete="off"></label></p>\n'
        f'  <button type="submit">{label("webform_f_send")}</button>\n'
        '  <p role="status" data-clientela-status></p>\n'
        "</form>\n"
        f"<script>{script}</script>\n"
    )
