"""Files a desk's document viewer shows: PDF, PNG, JPEG and WebP, checked before anything is stored.

The type is read from the first bytes, never from the name, and the name must
agree (a ``.pdf`` that is really a PNG is refused); TIFF is left out because
browsers do not display it. A PDF must open with pypdf, which counts its pages:
a damaged or password-protected one is refused. Each desk (data entry's
documents to key, bookkeeping's documents to book) turns the problem into its
own 422.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePath

from pypdf import PasswordType, PdfReader

from bo_saas.work.attachments import SIGNATURES

# What the viewer can show, and the names each type may have.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/webp": (".webp",),
}


class NotViewable(Exception):  # noqa: N818 - a finding about the file, said as what follows its name
    """What is wrong with a file, as a phrase that follows its name ("is empty")."""


@dataclass(frozen=True, slots=True)
class ViewableFile:
    filename: str
    data: bytes
    content_type: str
    pages: int
    sha256: str


def content_type_of(head: bytes) -> str | None:
    """The viewable type the bytes start like, or None."""
    for content_type in EXTENSIONS:
        for signature in SIGNATURES[content_type]:
            if all(head[offset : offset + len(magic)] == magic for offset, magic in signature):
                return content_type
    return None


def pdf_pages(data: bytes) -> int:
    """A PDF's pages; ``NotViewable`` if pypdf cannot read it or it needs a password."""
    try:
        reader = PdfReader(io.BytesIO(data))
        # Many PDFs are encrypted with an empty user password (only editing is locked): those open as any viewer's do.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise NotViewable("is protected by a password; send it without one")
        pages = len(reader.pages)
    except NotViewable:
        raise
    except Exception:  # a damaged PDF fails in many ways inside the parser; each is the file's fault, not ours
        raise NotViewable("is not a PDF that can be read (damaged or incomplete)") from None
    if pages < 1:
        raise NotViewable("has no pages")
    return pages


def check_viewable(filename: str, data: bytes) -> ViewableFile:
    """The file with its real type, pages and digest; ``NotViewable`` saying what is wrong with it."""
    if not data:
        raise NotViewable("is empty")
    content_type = content_type_of(data[:16])
    if content_type is None:
        raise NotViewable("is not a PDF, PNG, JPEG or WebP file")
    extension = PurePath(filename).suffix.lower()
    if extension not in EXTENSIONS[content_type]:
        real = content_type.split("/")[1].upper()
        raise NotViewable(f"is named {extension or 'without an extension'} but its content is {real}")
    pages = pdf_pages(data) if content_type == "application/pdf" else 1
    return ViewableFile(filename, data, content_type, pages, hashlib.sha256(data).hexdigest())
