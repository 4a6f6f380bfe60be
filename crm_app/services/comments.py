"""Comments on a customer: anyone in the organization adds them; the author (or an admin) edits/deletes."""

from __future__ import annotations

from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, ValidationFailed
from crm_app.domain.text import clean_text
from crm_app.models import Comment
from crm_app.models.types import utcnow
from crm_app.services import feed
from crm_app.services.tenancy import org_row

MAX_COMMENT = 5000


def _clean_body(body: str) -> str:
    text = clean_text(body)
    if not text:
        raise ValidationFailed({"body": FieldError("required")})
    if len(text) > MAX_COMMENT:
        raise ValidationFailed({"body": FieldError("too_long", max=MAX_COMMENT)})
    return text


def _own_comment(session: Session, actor: Actor, comment_id: int) -> Comment:
    """The comment if it is the actor's organization's (else NotFound) and the actor may change it."""
    comment = org_row(session, Comment, comment_id, actor, "comment")
    if comment.author_id != actor.user_id and not actor.is_admin:
        raise Forbidden()
    return comment


def add_comment(*, session: Session, actor: Actor, customer_id: int, body: str) -> int:
    """Add a comment to the customer's feed; returns its id. Raises NotFound, ValidationFailed."""
    feed.check_customer(session, actor, customer_id)
    comment = Comment(
        organization_id=actor.organization_id, customer_id=customer_id, author_id=actor.user_id,
        body=_clean_body(body),
    )
    return feed.add_with_event(session, actor, comment, "comment")


def edit_comment(*, session: Session, actor: Actor, comment_id: int, body: str) -> None:
    """Change a comment's text; it is marked as edited. Only its author or an admin."""
    comment = _own_comment(session, actor, comment_id)
    text = _clean_body(body)
    if text != comment.body:
        comment.body, comment.edited_at = text, utcnow()
        session.add(comment)
        session.flush()


def delete_comment(*, session: Session, actor: Actor, comment_id: int) -> None:
    """Remove a comment and its line in the feed. Only its author or an admin."""
    comment = _own_comment(session, actor, comment_id)
    feed.delete_events(session, kind="comment", ref_id=comment.id)
    session.delete(comment)
    session.flush()
