"""The Support desk's refusals; routes answer them through ``lib.errors``' one handler."""

from __future__ import annotations

from bo_saas.lib.errors import ConflictError, DomainError, InvalidInputError, NotFoundError, UnprocessableError


class ChannelNotFound(NotFoundError):
    pass


class TicketNotFound(NotFoundError):
    pass


class ContactNotFound(NotFoundError):
    pass


class MacroNotFound(NotFoundError):
    pass


class InvalidSupportRequest(InvalidInputError):
    """A value the desk cannot use (an address that is not one, a month that is not YYYY-MM)."""


class SupportConflict(ConflictError):
    """The desk's current state refuses the change (a taken address, a channel that still has tickets)."""


class SignatureRefused(DomainError):
    """401: the inbound message is not signed with the channel's secret, or the signature is stale."""

    status_code = 401


class MessageTooLarge(DomainError):
    status_code = 413


class UnreadableMessage(UnprocessableError):
    """422: the body is not a mail message the desk can read."""
