import re

from crm_app.i18n import catalogue


def test_both_catalogues_have_the_same_keys():
    assert set(catalogue("es")) == set(catalogue("en"))


def test_placeholders_match_between_languages():
    english = catalogue("en")
    for key, text in catalogue("es").items():
        assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", english[key])), key
