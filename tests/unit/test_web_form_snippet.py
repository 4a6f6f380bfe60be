"""The copy-paste HTML of a website form: it posts to the real endpoint, carries the honeypot and (only
when the form has a consent text) the consent checkbox, escapes the admin's text, and is in the chosen
language."""

from crm_app.services.web_form_snippet import endpoint_url, snippet


def test_snippet_posts_to_the_endpoint_with_honeypot_and_consent():
    html = snippet("wf_abc", "Acepto <correos>", "es", "https://crm.example.com/")
    assert 'action="https://crm.example.com/api/v1/forms/wf_abc" method="post"' in html
    assert 'name="website" tabindex="-1"' in html and 'aria-hidden="true"' in html
    assert 'name="consent" value="1"> Acepto &lt;correos&gt;' in html
    assert "Enviar" in html and "__" not in html.replace("wf_abc", "")


def test_no_consent_text_no_checkbox_and_english():
    html = snippet("wf_abc", "", "en", "http://localhost:3000")
    assert 'name="consent"' not in html and "Send" in html
    assert endpoint_url("wf_x", "http://h:1/") == "http://h:1/api/v1/forms/wf_x"
