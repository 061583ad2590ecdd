"""Batches: hundreds to thousands of pages (a notice for every house, the archive cards of
a building) as one PDF, for one print job, with memory that stays flat.

reportlab keeps every page of a canvas until it saves, so a batch is drawn in volumes of
a few hundred items; each volume, as soon as it is drawn, is copied object by object into
the one output file (its objects renumbered, its pages hung under the file's one page
tree) and dropped. Only the page list and the object offsets grow, a few bytes a page.
The file is written beside its final name and renamed when complete: a batch that is
cancelled or fails leaves no file behind.

`join` reads PDFs as reportlab writes them (a classic cross-reference table, no object
streams); it is not a general PDF merger."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable, Iterable, Sequence

_XREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_REF = re.compile(rb"(\d+) 0 R\b")
_STREAM = re.compile(rb">>\s*stream\r?\n")
_SUBSET = re.compile(rb"/([A-Z]{6})\+")
_TRAILER = re.compile(rb"trailer\s*<<(.*)>>\s*startxref", re.S)


class NotOurPdf(ValueError):
    """A PDF this joiner does not read (not written by reportlab)."""


def _objects(pdf: bytes) -> tuple[dict[int, bytes], int, int]:
    """{number: body between 'N 0 obj' and 'endobj'}, the catalog's and the info's numbers."""
    m = _XREF.search(pdf[-64:]) or _XREF.search(pdf)
    if m is None:
        raise NotOurPdf("no startxref")
    at = int(m.group(1))
    if pdf[at:at + 4] != b"xref":
        raise NotOurPdf("no classic cross-reference table")
    lines = pdf[at:at + 64].split(b"\n")
    first, count = (int(x) for x in lines[1].split())
    table = pdf.index(b"\n", pdf.index(b"\n", at) + 1) + 1
    bodies: dict[int, bytes] = {}
    for k in range(count):
        entry = pdf[table + 20 * k: table + 20 * k + 20]
        if entry[17:18] != b"n":
            continue
        offset = int(entry[:10])
        head_end = pdf.index(b"obj", offset) + 3
        end = pdf.index(b"endobj", _stream_end(pdf, head_end))
        bodies[first + k] = pdf[head_end:end]
    trailer = _TRAILER.search(pdf, at)
    if trailer is None:
        raise NotOurPdf("no trailer")
    root = re.search(rb"/Root (\d+) 0 R", trailer.group(1))
    info = re.search(rb"/Info (\d+) 0 R", trailer.group(1))
    if root is None:
        raise NotOurPdf("no catalog")
    return bodies, int(root.group(1)), int(info.group(1)) if info else 0


def _stream_end(pdf: bytes, start: int) -> int:
    """Where to look for 'endobj': past the stream's data when the object has one."""
    end = pdf.index(b"endobj", start)
    stream = pdf.find(b"stream", start, end)
    if stream < 0:
        return start
    return pdf.index(b"endstream", stream)


def _tag(n: int) -> bytes:
    """A six-capital-letter font subset tag, different for every n."""
    letters = []
    for _ in range(6):
        n, r = divmod(n, 26)
        letters.append(65 + r)
    return bytes(reversed(letters))


class Joiner:
    """Writes PDFs one after the other into one file, page after page."""

    def __init__(self, out, *, title: str = ""):
        self.out = out
        self.title = title
        # object 0 heads the free list; object 1 is the page tree, written last
        self.offsets: list[int | None] = [None, None]
        self.kids: list[int] = []
        self._fonts = 0
        self.at = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.at += len(data)

    def add(self, pdf: bytes) -> int:
        """Append every page of `pdf`; returns how many pages it had."""
        bodies, root, info = _objects(pdf)
        pages_root = re.search(rb"/Pages (\d+) 0 R", bodies[root])
        if pages_root is None:
            raise NotOurPdf("no page tree")
        tree = int(pages_root.group(1))
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", bodies[tree])
        if kids is None or any(b"/Type /Pages" in bodies[int(k)] for k in _REF.findall(kids.group(1))):
            raise NotOurPdf("a nested page tree")
        base = len(self.offsets) - 1
        skipped = {root, tree, info}
        renumber = {n: base + n for n in bodies}
        renumber[tree] = 1  # every page hangs under the file's one page tree
        tags: dict[bytes, bytes] = {}

        def ref(m: re.Match) -> bytes:
            return b"%d 0 R" % renumber[int(m.group(1))]

        def tag(m: re.Match) -> bytes:
            if m.group(1) not in tags:
                tags[m.group(1)] = _tag(self._fonts)
                self._fonts += 1
            return b"/" + tags[m.group(1)] + b"+"

        top = max(bodies)
        self.offsets.extend([None] * (base + top + 1 - len(self.offsets)))
        for n in sorted(bodies):
            if n in skipped:
                continue
            body = bodies[n]
            split = _STREAM.search(body)
            head, data = (body[:split.start()], body[split.start():]) if split else (body, b"")
            head = _SUBSET.sub(tag, _REF.sub(ref, head))
            self.offsets[base + n] = self.at
            self._write(b"%d 0 obj" % (base + n) + head + data + b"endobj\n")
        added = [renumber[int(k)] for k in _REF.findall(kids.group(1))]
        self.kids += added
        return len(added)

    def close(self) -> int:
        """Write the page tree, the catalog, the cross-reference table; returns the page count."""
        tree = 1
        kids = b" ".join(b"%d 0 R" % k for k in self.kids)
        self.offsets[tree] = self.at
        self._write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [ %s ] >>\nendobj\n" % (tree, len(self.kids), kids))
        catalog = len(self.offsets)
        self.offsets.append(self.at)
        self._write(b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R /PageMode /UseNone >>\nendobj\n" % (catalog, tree))
        info = len(self.offsets)
        self.offsets.append(self.at)
        title = self.title.encode("utf-16-be").hex().encode()
        self._write(b"%d 0 obj\n<< /Producer (EstateDesk) /Title <feff%s> >>\nendobj\n" % (info, title))
        xref = self.at
        rows = [b"xref\n0 %d\n" % len(self.offsets), b"0000000000 65535 f \n"]
        rows += [b"%010d 00000 n \n" % o if o is not None else b"0000000000 00000 f \n" for o in self.offsets[1:]]
        self._write(b"".join(rows))
        self._write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                    % (len(self.offsets), catalog, info, xref))
        return len(self.kids)


def join(pdfs: Iterable[bytes], path: str | os.PathLike, *, title: str = "") -> int:
    """Several PDFs of ours as one file at `path`; returns the page count."""
    return write(path, list(pdfs), lambda chunk, tick: chunk[0], per_volume=1, title=title)


def write(path: str | os.PathLike, items: Sequence, render_many: Callable[[Sequence, Callable[[], None]], bytes],
          *, per_volume: int = 200, title: str = "", report: Callable[[int], None] | None = None) -> int:
    """Draw `items` into one PDF at `path`, `per_volume` at a time, and return its page count.

    `render_many(chunk, tick)` draws a chunk of items into PDF bytes (a document kind's
    renderer for many at once), calling `tick()` after each item; `report(done)` hears how
    many items are drawn, and may raise to stop the batch (the clerk cancelled): then the
    partial file is removed and the exception goes on to the caller."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if report is not None:
            report(done)

    try:
        with open(partial, "wb") as f:
            joiner = Joiner(f, title=title)
            for start in range(0, len(items), per_volume):
                joiner.add(render_many(items[start:start + per_volume], tick))
            pages = joiner.close()
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return pages
