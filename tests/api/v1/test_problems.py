"""The problem+json answers: field paths, domain errors and the caller's language."""

from __future__ import annotations

import pytest

from crm_app.api.v1.paging import decode_cursor, encode_cursor
from crm_app.api.v1.problems import ApiProblem, accepted_language, domain_problem, field_path
from crm_app.domain.errors import Conflict, FieldError, NotFound, ValidationFailed


@pytest.mark.parametrize(("key", "path"), [
    ("phones.1.number", "phones[1].number"),
    (("phones", 0, "whatsapp"), "phones[0].whatsapp"),
    ("first_name", "first_name"),
    ("emails.12", "emails[12]"),
])
def test_field_paths_are_written_like_json_paths(key, path):
    assert field_path(key) == path


@pytest.mark.parametrize(("header", "language"), [
    ("en-US,en;q=0.9", "en"), ("es-EC", "es"), ("fr, en;q=0.5", "en"), ("de", None), (None, None),
    ("en;q=0.2, es;q=0.8", "es"), ("en;q=0", None),
])
def test_the_callers_language_comes_from_accept_language(header, language):
    assert accepted_language(header) == language


def test_a_validation_failure_lists_each_field_in_the_callers_language():
    import json

    error = ValidationFailed({"phones.1.number": FieldError("required")})
    spanish = json.loads(domain_problem(error, "es").body)
    english = json.loads(domain_problem(error, "en").body)
    assert spanish["status"] == 422 and spanish["errors"][0]["path"] == "phones[1].number"
    assert spanish["errors"][0]["detail"] != english["errors"][0]["detail"]


def test_stale_versions_are_412_and_other_conflicts_409():
    assert domain_problem(Conflict("stale_version", by="Ana"), "es").status_code == 412
    assert domain_problem(Conflict("customer_deleted"), "es").status_code == 409
    assert domain_problem(NotFound("customer"), "en").status_code == 404


def test_cursors_round_trip_and_a_forged_one_is_a_422():
    assert decode_cursor(encode_cursor({"after": [1, "x"]})) == {"after": [1, "x"]}
    for bad in ("%%%", "bm90IGpzb24", encode_cursor([1])):  # type: ignore[arg-type]
        with pytest.raises(ApiProblem) as refused:
            decode_cursor(bad)
        assert refused.value.status == 422
