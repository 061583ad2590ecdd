"""The print queue itself: where the system's queue is CUPS (Linux, 统信UOS, 麒麟, macOS),
a document goes to the printer as the PDF it is, text as text, on the paper it was laid
out for. The printer's driver then rasterises it at its own resolution in black and white,
which is what a dot-matrix printer needs: no grey anti-aliased page images for it to dither.

The paper is named the way the stock feeds: a cut sheet by its standard name (A4, A5), a
continuous form or a label roll by its width across the printer first (241 × 93.1 mm is
`Custom.241x93.1mm`), so a tractor-fed form is never turned 90°. The printer's own offsets
(for pre-printed stock) move every page's content before it is queued."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

from printing.paper import Offsets

MM = 72 / 25.4

# the cut sheets an office loads portrait, short edge first; (width, height) in mm
CUT_SHEETS = {"A3": (297, 420), "A4": (210, 297), "A5": (148, 210), "A6": (105, 148),
              "B5": (176, 250), "Letter": (215.9, 279.4), "Legal": (215.9, 355.6)}


class SpoolError(Exception):
    """The queue refused the job; the message is the print system's own."""


def available() -> bool:
    """Whether documents can be handed to CUPS as PDF (its `lp` command is there)."""
    return os.name != "nt" and shutil.which("lp") is not None


def cut_sheet(width_pt: float, height_pt: float) -> tuple[str, bool] | None:
    """(name, landscape) when the page is a standard cut sheet (either way round, within
    1 mm), else None: then it is a form or roll of its own size."""
    w, h = width_pt / MM, height_pt / MM
    for name, (sw, sh) in CUT_SHEETS.items():
        if abs(w - sw) <= 1 and abs(h - sh) <= 1:
            return name, False
        if abs(w - sh) <= 1 and abs(h - sw) <= 1:
            return name, True
    return None


def _mm(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def media(width_pt: float, height_pt: float) -> str:
    """CUPS's name for the paper of a page `width_pt` × `height_pt` points."""
    sheet = cut_sheet(width_pt, height_pt)
    if sheet:
        return sheet[0]
    return f"Custom.{_mm(width_pt / MM)}x{_mm(height_pt / MM)}mm"


def shifted(pdf: bytes, offsets: Offsets) -> bytes:
    """The document with every page's content moved by the printer's offsets (positive x
    to the right, positive y down), the paper unchanged."""
    from pypdf import PdfReader, PdfWriter, Transformation

    if not (offsets.x_mm or offsets.y_mm):
        return pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    move = Transformation().translate(offsets.x_mm * MM, -offsets.y_mm * MM)
    for page in writer.pages:
        page.add_transformation(move)
        page.compress_content_streams()  # as small as it came
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_size(pdf_or_path: bytes | str | Path) -> tuple[float, float]:
    """The first page's (width, height) in points, as it will be shown (its /Rotate applied)."""
    from pypdf import PdfReader

    source = io.BytesIO(pdf_or_path) if isinstance(pdf_or_path, bytes) else str(pdf_or_path)
    page = PdfReader(source).pages[0]
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    return (h, w) if (page.get("/Rotate") or 0) % 180 else (w, h)


def submit(queue: str, document: bytes | str | Path, title: str, *, copies: int = 1, collate: bool = True,
           pages: tuple[int, int] | None = None, offsets: Offsets = Offsets()) -> str:
    """Queue the PDF `document` (bytes, or the path of a batch file) on `queue`; returns the
    job's id. `pages` is a 1-based inclusive range. Raises SpoolError when CUPS refuses or
    cannot be reached, or the document cannot be read."""
    try:
        return _submit(queue, document, title, copies, collate, pages, offsets)
    except SpoolError:
        raise
    except subprocess.TimeoutExpired:
        raise SpoolError("the print system did not answer in time") from None
    except Exception as e:  # noqa: BLE001 - an unreadable batch file, lp gone: told, not crashed
        raise SpoolError(str(e) or type(e).__name__) from e


def _submit(queue, document, title, copies, collate, pages, offsets) -> str:
    width, height = page_size(document)
    args = ["lp", "-d", queue, "-t", title or "EstateDesk", "-n", str(max(1, copies)),
            "-o", f"collate={'true' if collate else 'false'}",
            "-o", f"media={media(width, height)}",
            # the form is the document's own size: never scaled to a printable area
            "-o", "print-scaling=none"]
    # a landscape page on a cut sheet: CUPS turns it onto the sheet, which feeds portrait
    if pages:
        args += ["-P", f"{pages[0]}-{pages[1]}"]
    data = None
    if offsets.x_mm or offsets.y_mm:
        data = shifted(document if isinstance(document, bytes) else Path(document).read_bytes(), offsets)
    elif isinstance(document, bytes):
        data = document
    if data is None:
        args += ["--", str(document)]
    else:
        args += ["-"]
    r = subprocess.run(args, input=data, capture_output=True, timeout=300)
    out = r.stdout.decode("utf-8", "replace")
    if r.returncode != 0:
        raise SpoolError((r.stderr.decode("utf-8", "replace") or out).strip() or f"lp exited {r.returncode}")
    found = re.search(r"request id is (\S+)", out)
    return found.group(1) if found else ""


def cancel(job: str) -> None:
    """Withdraw a queued job (as far as the printer has not printed it)."""
    if job:
        subprocess.run(["cancel", job], capture_output=True, timeout=30)
