"""E-mail address normalization on top of ``email_validator``."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from crm_app.domain.errors import FieldError


def normalize_email(raw: str) -> str:
    """Validate the syntax of ``raw`` and return it normalized and fully lower-cased.

    No DNS lookup (forms must stay fast and work offline). The local part is
    lower-cased too: strictly it is case-sensitive, but in practice no provider treats
    it so and duplicates like "Ana@x.com" / "ana@x.com" must be detected.
    Internationalized domains are kept in their Unicode form ("bücher.de").
    Raises ``FieldError("email_invalid")``.
    """
    text = (raw or "").strip()
    if not text:
        raise FieldError("email_invalid")
    try:
        info = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise FieldError("email_invalid") from exc
    return info.normalized.lower()
