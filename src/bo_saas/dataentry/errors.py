"""The Data entry desk's refusals; routes answer them through ``lib.errors``' one handler."""

from __future__ import annotations

from bo_saas.lib.errors import ConflictError, DomainError, InvalidInputError, NotFoundError, UnprocessableError


class SchemaNotFound(NotFoundError):
    pass


class BatchNotFound(NotFoundError):
    pass


class RecordNotFound(NotFoundError):
    pass


class InvalidSchema(UnprocessableError):
    """422: a schema definition with problems; ``extra.problems`` lists each with its path."""


class SchemaConflict(ConflictError):
    """409: a schema with that code exists already."""


class InvalidDataEntryRequest(InvalidInputError):
    """400: a value the desk cannot use (an unknown schema code, a missing file part)."""


class UnreadableFile(UnprocessableError):
    """422: the file is not what its name says, or cannot be read as rows."""


class FileTooLarge(DomainError):
    """413: the file, or an XLSX sheet once unpacked, is past the desk's limits."""

    status_code = 413


class ColumnsDoNotMatch(UnprocessableError):
    """422: the header names columns the schema lacks, or lacks required fields; ``extra`` lists both."""


class InvalidRecordValues(UnprocessableError):
    """422: a record's values fail their fields; ``extra.problems`` names each field's problem."""
