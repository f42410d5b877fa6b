"""The work domain's refusals; routes answer them through ``lib.errors``' one handler."""

from __future__ import annotations

from collections.abc import Iterable

from bo_saas.lib.errors import ConflictError, DomainError, ForbiddenError, InvalidInputError, NotFoundError
from bo_saas.work.models import WorkState


class WorkItemNotFound(NotFoundError):
    pass


class AttachmentNotFound(NotFoundError):
    pass


class TransitionRefused(ConflictError):
    """409 with the changes that are allowed, so a client can correct itself."""

    def __init__(self, detail: str, allowed: Iterable[WorkState]) -> None:
        super().__init__(detail, extra={"allowed": [state.value for state in allowed]})


class WorkRefused(ForbiddenError):
    """The caller may see the item but not do this to it (only admins share, only staff review)."""


class InvalidWorkRequest(InvalidInputError):
    """The request names something that is not there or not allowed (a service, an agent, a reason)."""


class AttachmentTooLarge(DomainError):
    status_code = 413


class UnsupportedAttachmentType(DomainError):
    status_code = 415
