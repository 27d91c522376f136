"""A graduate's documents (diploma, degree, photo): checked by content, stored privately.

The type is decided by the file's first bytes, never by its name or the browser's content
type: JPEG, PNG and PDF only. Images are decoded and written again by Pillow, which drops
every metadata block (EXIF with GPS position, camera, comments) and anything smuggled
after the image data. PDFs are kept as they are once their header is checked. Files are
stored in private storage under a random token; the uploaded name is kept only as a label.
"""

import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from PIL import Image, ImageOps, UnidentifiedImageError

from ..choices import DocumentKind
from ..models import GraduateDocument, GraduateProfile, private_storage

# Enough for a 48-megapixel phone photo; a "bomb" that decodes to gigabytes is refused first.
MAX_IMAGE_PIXELS = 50_000_000
MAX_DOCUMENTS_PER_PROFILE = 20
ORIGINAL_NAME_MAX = 120


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    pillow_format: str | None


JPEG = FileType("jpg", "image/jpeg", "JPEG")
PNG = FileType("png", "image/png", "PNG")
PDF = FileType("pdf", "application/pdf", None)


def file_type_sniff(head: bytes) -> FileType | None:
    """JPEG, PNG or PDF by their magic bytes; None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def _not_allowed() -> ValidationError:
    return ValidationError(
        _("Only JPEG or PNG images and PDF files can be uploaded; this file is none of them."),
        code="file_type",
    )


def _read_limited(uploaded_file, limit: int) -> bytes:
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _too_big(limit)
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise _too_big(limit)
    return data


def _too_big(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(mb)s MB; please upload a smaller scan or photo."),
        code="file_size",
        params={"mb": f"{limit / (1024 * 1024):g}"},
    )


def _reencode(data: bytes, file_type: FileType) -> bytes:
    """Decode and write the image again, without any metadata."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != file_type.pillow_format:
                    raise _not_allowed()
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _bomb()
                image.load()
                # The orientation lives in EXIF, which is dropped: apply it to the pixels first.
                image = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if file_type is JPEG:
                    if image.mode not in ("RGB", "L"):
                        image = image.convert("RGB")
                    image.save(out, format="JPEG", quality=90, optimize=True)
                else:
                    if image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
                        image = image.convert("RGBA")
                    image.save(out, format="PNG", optimize=True)
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb() from exc
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(
            _("This image is damaged or incomplete and cannot be read; please upload it again."),
            code="file_damaged",
        ) from exc


def _bomb() -> ValidationError:
    return ValidationError(
        _("This image has too many pixels (more than %(mp)d megapixels)."),
        code="file_pixels",
        params={"mp": MAX_IMAGE_PIXELS // 1_000_000},
    )


def _safe_original_name(name: str | None) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-ORIGINAL_NAME_MAX:]


def document_upload(*, profile: GraduateProfile, kind: str, uploaded_file) -> GraduateDocument:
    """Check, clean and store one document; raises ValidationError saying what is wrong."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": [_("Choose what kind of document this is.")]})
    if profile.documents.count() >= MAX_DOCUMENTS_PER_PROFILE:
        raise ValidationError(
            {
                "file": [
                    _("You can keep at most %(n)d documents; delete one first.")
                    % {"n": MAX_DOCUMENTS_PER_PROFILE}
                ]
            }
        )
    try:
        data = _read_limited(uploaded_file, settings.GRADUATE_DOCUMENT_MAX_BYTES)
        if not data:
            raise ValidationError(_("The file is empty."), code="file_empty")
        file_type = file_type_sniff(data[:16])
        if file_type is None:
            raise _not_allowed()
        if file_type.pillow_format:
            data = _reencode(data, file_type)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc

    token = secrets.token_hex(16)
    document = GraduateDocument(
        profile=profile,
        kind=kind,
        token=token,
        extension=file_type.extension,
        content_type=file_type.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=_safe_original_name(getattr(uploaded_file, "name", "")),
    )
    document.file.save(f"{token}.{file_type.extension}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.storage.delete(document.file.name)
        raise
    return document


def document_files_delete(names: list[str]) -> None:
    """Remove stored files once the rows that named them are gone for good."""

    def _delete() -> None:
        for name in names:
            if name:
                private_storage.delete(name)

    transaction.on_commit(_delete)


def document_delete(*, document: GraduateDocument) -> None:
    name = document.file.name
    document.delete()
    document_files_delete([name])
