"""Add, list, read and withdraw a child's attachments. Nothing is deleted or overwritten."""

import hashlib
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.attachments import content as checking
from app.attachments.models import Attachment, AttachmentFile
from app.attachments.schemas import AttachmentIn
from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.db import utcnow
from app.errors import Conflict, Invalid, NotFound

NAME_LENGTH = 255


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: its name (kept for the worker, never trusted) and its bytes."""

    name: str
    data: bytes


def details(**fields: object) -> AttachmentIn:
    """The form's words as an AttachmentIn, or a refusal naming the first field at fault."""
    try:
        return AttachmentIn.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise Invalid(f"{field}: {message}", field=field) from None


def add(
    *,
    session: Session,
    actor: User,
    case_id: int,
    upload: Upload,
    data: AttachmentIn,
    max_bytes: int,
) -> Attachment:
    """Check the file from its bytes, keep it once by its hash, and note who added it."""
    if not upload.data:
        raise Invalid("Choose a file to add.", field=checking.FIELD)
    if len(upload.data) > max_bytes:
        limit = max_bytes / 1_000_000
        raise Invalid(f"The file must be smaller than {limit:g} MB.", field=checking.FIELD)
    checked = checking.check(upload.data)
    stored = _stored(session, checked.content)
    attachment = Attachment(
        case_id=case_id,
        file_id=stored.id,
        uploaded_by_id=actor.id,
        original_name=_plain_name(upload.name, checked.content_type),
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=stored.sha256,
        title=data.title,
        description=data.description,
        for_family=data.for_family,
        for_child=data.for_child,
    )
    session.add(attachment)
    session.flush()
    _audit(session, actor, AuditAction.ATTACHMENT_ADD, attachment)
    return attachment


def _stored(session: Session, content: bytes) -> AttachmentFile:
    digest = hashlib.sha256(content).hexdigest()
    found = session.scalar(select(AttachmentFile).where(AttachmentFile.sha256 == digest))
    if found is None:
        found = AttachmentFile(sha256=digest, content=content)
        session.add(found)
        session.flush()
    return found


def _plain_name(name: str, content_type: str) -> str:
    """The name as the worker knew it, without folders or control characters, for the list."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>')
    return cleaned[:NAME_LENGTH] or f"file.{checking.EXTENSION[content_type]}"


def get(*, session: Session, case_id: int, attachment_id: int) -> Attachment:
    """One attachment of this child's case (another child's is not found here)."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case_id:
        raise NotFound(f"No attachment {attachment_id} for this child.", field="attachment_id")
    return attachment


def content_of(*, session: Session, attachment: Attachment) -> bytes:
    stored = session.get(AttachmentFile, attachment.file_id)
    assert stored is not None  # the foreign key says so
    return stored.content


def for_case(*, session: Session, case_id: int, withdrawn: bool = False) -> list[Attachment]:
    """The child's attachments, newest first; withdrawn ones only when asked for."""
    query = select(Attachment).where(Attachment.case_id == case_id)
    if not withdrawn:
        query = query.where(Attachment.withdrawn_at.is_(None))
    return list(session.scalars(query.order_by(Attachment.id.desc())))


def by_ids(*, session: Session, case_id: int, ids: list[int]) -> list[Attachment]:
    """Those of `ids` that belong to this child, in the order given (withdrawn ones included)."""
    if not ids:
        return []
    query = select(Attachment).where(Attachment.case_id == case_id, Attachment.id.in_(ids))
    found = {a.id: a for a in session.scalars(query)}
    return [found[i] for i in ids if i in found]


def withdraw(
    *, session: Session, actor: User, case_id: int, attachment_id: int, reason: str
) -> Attachment:
    """Mark an attachment withdrawn (added in error, replaced): it is kept, but no longer offered
    or printed."""
    attachment = get(session=session, case_id=case_id, attachment_id=attachment_id)
    if attachment.withdrawn_at is not None:
        raise Conflict("This attachment was already withdrawn.", field="attachment_id")
    reason = reason.strip()
    if not reason:
        raise Invalid("Say why the attachment is withdrawn.", field="reason")
    attachment.withdrawn_at = utcnow()
    attachment.withdrawn_by_id = actor.id
    attachment.withdrawn_reason = reason[:2000]
    session.flush()
    _audit(session, actor, AuditAction.ATTACHMENT_WITHDRAW, attachment)
    return attachment


def _audit(session: Session, actor: User, action: AuditAction, attachment: Attachment) -> None:
    audit.record(
        session=session,
        actor=actor,
        action=action,
        target_type="attachment",
        target_id=attachment.id,
        case_id=attachment.case_id,
        detail={"type": attachment.content_type, "size": attachment.size},
    )
