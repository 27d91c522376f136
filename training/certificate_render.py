"""Drawing a certificate: an A4 landscape image in Chinese with a QR code, saved as PNG and PDF.

Pure functions of their arguments (no database), so the layout can be tested on its own. The
text is set in a real CJK font found on the machine (Debian's fonts-noto-cjk); without one the
characters would come out as empty boxes, so rendering refuses to run instead.
"""

import datetime
import functools
import io
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

import segno
from PIL import Image, ImageDraw, ImageFont

# A4 landscape at 150 dpi: the PDF page is exactly A4 when saved at this resolution.
DPI = 150
SIZE = (1754, 1240)
MARGIN = 230

PAPER = (255, 253, 246)
INK = (31, 35, 40)
MUTED = (85, 93, 102)
RED = (183, 28, 28)
GOLD = (190, 150, 60)
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)

QR_MODULE_PX = 7  # pixels per QR module
QR_QUIET_MODULES = 4  # the white margin a scanner needs, in modules
QR_ERROR = "m"
MAX_BODY_LINES = 4
NO_LINE_START = frozenset("，。、；：！？）」』》〉”’…,.;:!?)")
# The QR code's white square ends here (exclusive), bottom right inside the frame.
QR_RIGHT = SIZE[0] - MARGIN + 40
QR_BOTTOM = SIZE[1] - 150

# Debian/Ubuntu (fonts-noto-cjk, fonts-wqy-*) and Fedora paths, best first.
HEADING_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
)
BODY_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
SANS_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    *BODY_FONTS,
)


class CertificateFontMissing(ImproperlyConfigured):
    """No font on this machine can draw Chinese."""


@dataclass(frozen=True)
class FontFace:
    path: str
    index: int


@dataclass(frozen=True)
class RenderedCertificate:
    png: bytes
    pdf: bytes
    size: tuple[int, int]
    # Where the QR code's first module is drawn, and its size in pixels (for checking the image).
    qr_left: int
    qr_top: int
    qr_module_px: int


def _fc_list_chinese() -> list[str]:
    """Font files fontconfig says cover Simplified Chinese, if fontconfig is installed."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments, no user input
            [fc_list, ":lang=zh-cn", "file"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    # Prefer the Noto CJK and WenQuanYi families, regular weight, over anything else that claims Chinese.
    return sorted(files, key=lambda f: ("CJK" not in f and "wqy" not in f, "Bold" in f, f))


def _simplified_chinese_index(path: str) -> int:
    """A .ttc holds several faces (JP, KR, SC, …): pick the Simplified Chinese one."""
    first = None
    for index in range(16):
        try:
            family, _style = ImageFont.truetype(path, 12, index=index).getname()
        except OSError:
            break
        if first is None:
            first = index
        if family and (family.endswith(" SC") or "SC" in family.split()):
            return index
    if first is None:
        raise OSError(f"cannot read font {path}")
    return first


def find_font(candidates: tuple[str, ...]) -> FontFace:
    """The first usable CJK font among `candidates`, then whatever fontconfig offers for Chinese."""
    override = getattr(settings, "CERTIFICATE_FONT", "")
    for path in (override, *candidates, *_fc_list_chinese()):
        if path and Path(path).is_file():
            try:
                return FontFace(path, _simplified_chinese_index(path))
            except OSError:
                continue
    raise CertificateFontMissing(
        "No font that can draw Chinese was found, so certificates cannot be rendered. "
        "Install Debian's fonts-noto-cjk (`apt-get install fonts-noto-cjk`, or `make system-deps`), "
        "or set CERTIFICATE_FONT to the path of a CJK .ttf/.otf/.ttc file."
    )


@functools.cache
def fonts() -> dict[str, FontFace]:
    return {
        "heading": find_font(HEADING_FONTS),
        "body": find_font(BODY_FONTS),
        "sans": find_font(SANS_FONTS),
    }


def _font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    face = fonts()[kind]
    return ImageFont.truetype(face.path, size, index=face.index)


def hours_text(hours: Decimal) -> str:
    """2.0 → "2", 1.5 → "1.5"."""
    hours = Decimal(hours)
    return (
        str(hours.quantize(Decimal(1)))
        if hours == hours.to_integral_value()
        else str(hours.normalize())
    )


def date_text(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Break Chinese text anywhere (it has no spaces), Latin words only between words."""
    lines: list[str] = []
    line = ""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            tokens.append(word)
            word = ""
        tokens.append(ch)
    if word:
        tokens.append(word)
    for token in tokens:
        candidate = line + token
        # Closing punctuation never starts a line (避头): it may run into the margin instead.
        if line and token not in NO_LINE_START and draw.textlength(candidate, font=font) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _centered(draw, y: int, text: str, font, fill, *, spacing: int = 0) -> None:
    """Draw `text` centred on the page; `spacing` adds room between the characters of a title."""
    widths = [draw.textlength(ch, font=font) for ch in text]
    total = sum(widths) + spacing * (len(text) - 1)
    x = (SIZE[0] - total) / 2
    for ch, w in zip(text, widths, strict=True):
        draw.text((x, y), ch, font=font, fill=fill)
        x += w + spacing


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=QR_ERROR, micro=False)


def qr_origin(modules: int) -> tuple[int, int]:
    """Top-left pixel of the first module of a QR code `modules` wide, bottom right on the page."""
    side = (modules + 2 * QR_QUIET_MODULES) * QR_MODULE_PX
    left, top = QR_RIGHT - side, QR_BOTTOM - side
    return left + QR_QUIET_MODULES * QR_MODULE_PX, top + QR_QUIET_MODULES * QR_MODULE_PX


def _draw_qr(image: Image.Image, url: str) -> tuple[int, int]:
    """Draw the QR code for `url` with its white quiet zone; returns the top-left of its first module."""
    qr = qr_code(url)
    modules = len(qr.matrix)
    origin_x, origin_y = qr_origin(modules)
    quiet = QR_QUIET_MODULES * QR_MODULE_PX
    draw = ImageDraw.Draw(image)
    draw.rectangle((origin_x - quiet, origin_y - quiet, QR_RIGHT - 1, QR_BOTTOM - 1), fill=WHITE)
    for row, bits in enumerate(qr.matrix):
        for col, dark in enumerate(bits):
            if dark:
                x, y = origin_x + col * QR_MODULE_PX, origin_y + row * QR_MODULE_PX
                draw.rectangle((x, y, x + QR_MODULE_PX - 1, y + QR_MODULE_PX - 1), fill=BLACK)
    return origin_x, origin_y


def render_certificate(
    *,
    code: str,
    holder_name: str,
    title: str,
    is_path: bool,
    hours: Decimal,
    issued_on: datetime.date,
    verify_url: str,
    issuer: str,
) -> RenderedCertificate:
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width, height = SIZE

    # Frame: a red band and a thin gold rule inside it.
    draw.rectangle((28, 28, width - 29, height - 29), outline=RED, width=16)
    draw.rectangle((62, 62, width - 63, height - 63), outline=GOLD, width=3)

    _centered(draw, 120, issuer, _font("sans", 34), MUTED)
    _centered(draw, 180, "结业证书", _font("heading", 118), RED, spacing=36)

    body = _font("body", 46)
    y = 400
    draw.text((MARGIN, y), f"{holder_name}：", font=body, fill=INK)
    y += 90
    what = f"「{title}」学习路径" if is_path else f"「{title}」课程"
    text = f"　　于{date_text(issued_on)}完成{what}的全部学习内容，计 {hours_text(hours)} 学时，特发此证。"
    lines = _wrap(draw, text, body, width - 2 * MARGIN)
    if len(lines) > MAX_BODY_LINES:  # a very long title: keep the certificate readable
        lines = [*lines[: MAX_BODY_LINES - 1], lines[MAX_BODY_LINES - 1][:-1] + "…"]
    for line in lines:
        draw.text((MARGIN, y), line, font=body, fill=INK)
        y += 74

    # Details, bottom left; the QR code, bottom right.
    small = _font("sans", 30)
    details = [
        f"学时：{hours_text(hours)} 学时",
        f"发证日期：{date_text(issued_on)}",
        f"证书编号：{code}",
        "验证网址：",
        verify_url,
    ]
    dy = QR_BOTTOM - len(details) * 46
    for line in details:
        draw.text((MARGIN, dy), line, font=small, fill=MUTED if line == verify_url else INK)
        dy += 46
    qr_left, qr_top = _draw_qr(image, verify_url)
    caption = _font("sans", 26)
    caption_text = "扫码验证证书真伪"
    qr_box_left = qr_left - QR_QUIET_MODULES * QR_MODULE_PX
    centre = (qr_box_left + QR_RIGHT) / 2
    draw.text(
        (centre - draw.textlength(caption_text, font=caption) / 2, QR_BOTTOM + 8),
        caption_text,
        font=caption,
        fill=MUTED,
    )

    png = io.BytesIO()
    image.save(png, "PNG", dpi=(DPI, DPI))
    pdf = io.BytesIO()
    image.save(pdf, "PDF", resolution=DPI, quality=92, subsampling=0, title=f"结业证书 {code}")
    return RenderedCertificate(
        png=png.getvalue(),
        pdf=pdf.getvalue(),
        size=SIZE,
        qr_left=qr_left,
        qr_top=qr_top,
        qr_module_px=QR_MODULE_PX,
    )
