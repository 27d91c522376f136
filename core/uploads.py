"""Uploaded import files kept between the dry run and the confirm step.

An import screen checks the file first (a dry run that writes nothing) and, when the file has
no error, keeps its bytes under PRIVATE_STORAGE_ROOT/<folder>/<random token>.upload; the
session remembers the token, the file's SHA-256 and any values the upload is bound to (the
round, say). The confirm step hands back the token; the bytes are used only when the token,
the bound values and the hash all match, so a file cannot be swapped or replayed in another
session or for another round. Files older than a day are swept on the next upload.
"""

import hashlib
import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # the "5 MB" the form's texts name
PREVIEW_ROWS = 200
MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]+")


class ImportFileForm(forms.Form):
    """The upload form of an import screen: one CSV or XLSX file of at most 5 MB."""

    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("At most 5 MB. CSV in UTF-8 or GBK, or an Excel workbook (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Split it into several files.")
            )
        return upload


class PendingUploads:
    """The uploads one import screen keeps: its own folder and session key."""

    def __init__(self, *, folder: str, session_key: str, max_bytes: int):
        self.folder = folder
        self.session_key = session_key
        self.max_bytes = max_bytes

    def _dir(self) -> Path:
        return Path(settings.PRIVATE_STORAGE_ROOT) / self.folder

    def discard(self, token: str) -> None:
        if _TOKEN_RE.fullmatch(token or ""):
            (self._dir() / f"{token}.upload").unlink(missing_ok=True)

    def forget(self, request, token: str) -> None:
        """Delete the kept file and drop it from the session."""
        self.discard(token)
        request.session.pop(self.session_key, None)

    def store(self, request, data: bytes, filename: str, **bound) -> str:
        """Keep the bytes for the confirm step under a random token bound to this session."""
        folder = self._dir()
        folder.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - MAX_AGE_SECONDS
        for old in folder.glob("*.upload"):
            try:
                if old.stat().st_mtime < cutoff:
                    old.unlink()
            except FileNotFoundError:
                pass
        previous = request.session.get(self.session_key)
        if previous:
            self.discard(previous.get("token", ""))
        token = secrets.token_urlsafe(24)
        (folder / f"{token}.upload").write_bytes(data)
        request.session[self.session_key] = {
            "token": token,
            **bound,
            "sha256": hashlib.sha256(data).hexdigest(),
            "filename": filename[:120],
        }
        return token

    def load(self, request, token: str, **bound) -> tuple[bytes, str] | None:
        """(bytes, file name) kept under `token` with these bound values, or None."""
        stored = request.session.get(self.session_key) or {}
        if not token or not secrets.compare_digest(stored.get("token", ""), token):
            return None
        if any(stored.get(key) != value for key, value in bound.items()):
            return None
        path = self._dir() / f"{stored['token']}.upload"
        try:
            if path.stat().st_size > self.max_bytes:
                return None
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        if hashlib.sha256(data).hexdigest() != stored.get("sha256"):
            return None
        return data, stored.get("filename", "")

    def context(self, report=None, *, filename: str = "", token: str | None = None) -> dict:
        """The template context of an import screen: the size limit, and the dry-run report."""
        context: dict = {"max_mb": self.max_bytes // (1024 * 1024)}
        if report is not None:
            context.update(
                {
                    "report": report,
                    "filename": filename,
                    "token": token,
                    "preview": report.rows[:PREVIEW_ROWS],
                    "more_rows": max(0, len(report.rows) - PREVIEW_ROWS),
                }
            )
        return context
