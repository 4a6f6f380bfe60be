import re

from crm_app.i18n import en, es


def test_both_catalogues_have_the_same_keys():
    assert set(es.MESSAGES) == set(en.MESSAGES)


def test_placeholders_match_between_languages():
    for key, text in es.MESSAGES.items():
        assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", en.MESSAGES[key])), key
