"""The notify domain's refusals; routes answer them through ``lib.errors``' one handler."""

from __future__ import annotations

from bo_saas.lib.errors import ConflictError, InvalidInputError, NotFoundError


class WebhookNotFound(NotFoundError):
    pass


class DeliveryNotFound(NotFoundError):
    pass


class NotificationNotFound(NotFoundError):
    pass


class InvalidWebhook(InvalidInputError):
    """A URL or event list the platform will not send to."""


class WebhookConflict(ConflictError):
    """The endpoint or delivery is not in a state that allows this (inactive, not failed)."""
