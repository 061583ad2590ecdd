"""操作手册 — the clerk's guide: one chapter for each page of the window, written in
Markdown and installed with the program (resources/guide/<lang>/NN-name.md, the pictures
in resources/guide/images/, the order and which chapter is a page's in index.json), read
by the window's F1 and set here as a printable A4 PDF: a title page, the contents, each
chapter on a new page, the pictures as wide as the text, page numbers at the foot.

    python -m printing.guide OUT.pdf [--lang zh_CN|en]

The Markdown is the small part of it the chapters use: # and ## headings, paragraphs,
1. numbered steps and - bullets (one level of bullets under a step), **labels**, `keys`,
![pictures](../images/x.png) on their own line, and | tables |."""
from __future__ import annotations

import json
import re
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"  # the guide's own language; English follows it chapter for chapter
# the printable guide as the bundle ships it (packaging/build.py makes them with this module)
PDF_NAMES = {"zh_CN": "物业服务台操作手册.pdf", "en": "EstateDesk-guide.pdf"}


def _folder() -> Path:
    """resources/guide wherever the `resources` package is installed (a checkout,
    site-packages); in the frozen bundle, which has no such package, beside it."""
    try:
        from importlib.resources import files

        return Path(str(files("resources").joinpath("guide")))
    except (ModuleNotFoundError, TypeError):
        return Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent)) / "resources" / "guide"


GUIDE = _folder()
IMAGES = GUIDE / "images"


@dataclass(frozen=True)
class Chapter:
    key: str  # the file's name without its number: "counter", "day-close"
    title: str  # its first heading
    markdown: str
    path: Path

    @property
    def images(self) -> list[Path]:
        """The pictures the chapter shows, as files (present or not)."""
        return [(self.path.parent / target).resolve() for _alt, target in IMAGE.findall(self.markdown)]


IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+)\)\s*$", re.MULTILINE)


def language(lang: str | None) -> str:
    """`lang` when the guide is written in it, else the guide's own language."""
    return lang if lang in LANGUAGES and (GUIDE / lang).is_dir() else DEFAULT_LANGUAGE


def index() -> dict:
    """{"chapters": [file, …] in their order, "pages": {page key: file}}."""
    return json.loads((GUIDE / "index.json").read_text(encoding="utf-8"))


def _read(path: Path) -> Chapter:
    text = path.read_text(encoding="utf-8")
    first = next((line for line in text.splitlines() if line.startswith("# ")), "# " + path.stem)
    return Chapter(re.sub(r"^\d+-", "", path.stem), first[2:].strip(), text, path)


def chapter_file(name: str, lang: str | None = None) -> Chapter:
    """The chapter of that file name in `lang`; the guide's own language's where the
    translation has none."""
    path = GUIDE / language(lang) / name
    if not path.is_file():
        path = GUIDE / DEFAULT_LANGUAGE / name
    return _read(path)


def chapters(lang: str | None = DEFAULT_LANGUAGE) -> list[Chapter]:
    """Every chapter, in the guide's order."""
    return [chapter_file(name, lang) for name in index()["chapters"]]


def chapter_for(page_key: str | None, lang: str | None = DEFAULT_LANGUAGE) -> Chapter:
    """The chapter of a page of the window (its key in the navigation); the opening
    chapter for a page that has none of its own."""
    found = index()
    return chapter_file(found["pages"].get(page_key or "", found["chapters"][0]), lang)


def bundled_pdf(lang: str | None) -> Path | None:
    """The printable guide the installed program carries, if it does."""
    path = GUIDE / PDF_NAMES[language(lang)]
    return path if path.is_file() else None


# --- the Markdown, as blocks ------------------------------------------------------------

@dataclass
class Block:
    kind: str  # h1 h2 h3 p ol ul img table
    text: str = ""
    items: list | None = None  # ol/ul: [(text, [sub-bullet text, …]), …]; table: rows of cells
    target: str = ""  # img: the file, relative to the chapter


_ITEM = re.compile(r"^(\d+)\.\s+(.*)$")
_BULLET = re.compile(r"^-\s+(.*)$")
_SUB_BULLET = re.compile(r"^\s{2,}-\s+(.*)$")


def blocks(markdown: str) -> list[Block]:
    out: list[Block] = []
    para: list[str] = []

    def end_paragraph() -> None:
        if para:
            out.append(Block("p", _join(para)))
            para.clear()

    for raw in markdown.splitlines():
        line = raw.rstrip()
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        image = IMAGE.match(line)
        item, bullet, sub = _ITEM.match(line), _BULLET.match(line), _SUB_BULLET.match(line)
        if not line.strip():
            end_paragraph()
            if out and out[-1].kind in ("ol", "ul", "table"):
                out.append(Block("gap"))  # a list or table ends at an empty line
        elif heading:
            end_paragraph()
            out.append(Block(f"h{len(heading.group(1))}", heading.group(2).strip()))
        elif image:
            end_paragraph()
            out.append(Block("img", image.group(1), target=image.group(2)))
        elif line.startswith("|"):
            end_paragraph()
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue  # the line under the header
            if not out or out[-1].kind != "table":
                out.append(Block("table", items=[]))
            out[-1].items.append(cells)
        elif sub and out and out[-1].kind in ("ol", "ul") and out[-1].items:
            out[-1].items[-1][1].append(sub.group(1))
        elif item or bullet:
            end_paragraph()
            kind = "ol" if item else "ul"
            if not out or out[-1].kind != kind:
                out.append(Block(kind, items=[]))
            out[-1].items.append((item.group(2) if item else bullet.group(1), []))
        elif line.startswith("   ") and out and out[-1].kind in ("ol", "ul") and not para:
            text, subs = out[-1].items[-1]  # a step's text going on, indented under it
            out[-1].items[-1] = (_join([text, line.strip()]), subs)
        else:
            para.append(line.strip())
    end_paragraph()
    return [b for b in out if b.kind != "gap"]


def _join(lines: list[str]) -> str:
    """Lines of one paragraph: Chinese runs on without a space, Latin words get one."""
    text = ""
    for line in lines:
        if text and not (_wide(text[-1]) and _wide(line[0])):
            text += " "
        text += line
    return text


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\[([^\]]+)\]\([^)]+\)")


def inline(text: str, font: str) -> str:
    """A line of Markdown as reportlab paragraph markup: **labels** in the labels' colour,
    `keys and commands` in a typewriter face on grey, [links] as their words."""
    out, at = [], 0
    for m in _INLINE.finditer(text):
        out.append(escape(text[at:m.start()]))
        code, label, link = m.groups()
        if code is not None:
            face = "Courier" if code.isascii() else font  # Courier has no Chinese
            out.append(f'<font name="{face}" backColor="#ececec">{escape(code)}</font>')
        elif label is not None:
            out.append(f'<font color="{LABEL_COLOUR}">{escape(label)}</font>')
        else:
            out.append(escape(link))
        at = m.end()
    out.append(escape(text[at:]))
    return "".join(out)


# --- the PDF ------------------------------------------------------------------------------

SCREEN_PIXELS = 1024  # the screenshots' width: the smallest screen offices have
SHOT_WIDTH = 0.86  # of the text's width
LABEL_COLOUR = "#1a4f8b"  # the words on the screen (buttons, fields, pages): the CJK font has no bold
WORDS = {
    "zh_CN": {"title": "物业服务台", "subtitle": "操作手册", "for": "物业服务中心前台使用",
              "f1": "在程序的任何页面按 F1，都可以打开本手册中这一页的一章。",
              "contents": "目录", "page": "第 {n} 页 / 共 {total} 页", "running": "物业服务台 操作手册",
              "pdf_title": "物业服务台 操作手册"},
    "en": {"title": "EstateDesk", "subtitle": "Clerk's guide", "for": "for the front desk of the management office",
           "f1": "Press F1 on any page of the program to open this guide on that page's chapter.",
           "contents": "Contents", "page": "Page {n} of {total}", "running": "EstateDesk — clerk's guide",
           "pdf_title": "EstateDesk — clerk's guide"},
}

# reportlab lets a full-width comma or colon start a line; a Chinese line never does (禁则)
_NO_LINE_START = "，。、；：！？）》」』】〕”’…%"
_kinsoku_lock = threading.Lock()


@contextmanager
def _kinsoku():
    """reportlab's own list of marks that may not start a line, with the full-width ones it
    lacks, while a guide paragraph is broken into lines."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    with _kinsoku_lock:
        saved = paragraph.ALL_CANNOT_START, textsplit.ALL_CANNOT_START
        extra = "".join(ch for ch in _NO_LINE_START if ch not in saved[0])
        paragraph.ALL_CANNOT_START, textsplit.ALL_CANNOT_START = saved[0] + extra, saved[1] + extra
        try:
            yield
        finally:
            paragraph.ALL_CANNOT_START, textsplit.ALL_CANNOT_START = saved


def _styles(font: str, lang: str):
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    wrap = "CJK" if lang == "zh_CN" else None
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, wordWrap=wrap, spaceAfter=5)
    return {
        "body": body,
        # a heading never stays behind at the foot of a page without what it heads
        "h1": ParagraphStyle("h1", parent=body, fontSize=20, leading=28, spaceAfter=12, keepWithNext=1,
                             textColor=colors.HexColor("#12355b")),
        "h2": ParagraphStyle("h2", parent=body, fontSize=14, leading=20, spaceBefore=12, spaceAfter=6, keepWithNext=1,
                             textColor=colors.HexColor("#12355b")),
        "h3": ParagraphStyle("h3", parent=body, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "item": ParagraphStyle("item", parent=body, leftIndent=20, bulletIndent=4, bulletFontName=font,
                               spaceAfter=3),
        "sub": ParagraphStyle("sub", parent=body, leftIndent=36, bulletIndent=24, bulletFontName=font,
                              spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=14, spaceAfter=0),
        "caption": ParagraphStyle("caption", parent=body, fontSize=8.5, leading=12, alignment=TA_CENTER,
                                  textColor=colors.HexColor("#666666"), spaceAfter=10),
        "title": ParagraphStyle("title", parent=body, fontSize=34, leading=44, alignment=TA_CENTER),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=24, leading=34, alignment=TA_CENTER,
                                   textColor=colors.HexColor("#12355b")),
        "note": ParagraphStyle("note", parent=body, fontSize=11, leading=18, alignment=TA_CENTER,
                               textColor=colors.HexColor("#555555")),
        "toc0": ParagraphStyle("toc0", parent=body, fontSize=12, leading=20, spaceBefore=6),
    }


def _flowables(chapter: Chapter, styles, font: str, width: float, height: float) -> list:
    """One chapter as platypus flowables, starting with its heading."""
    from reportlab.lib import colors
    from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

    class Para(Paragraph):  # broken into lines by the Chinese rules
        def breakLinesCJK(self, maxWidths):  # noqa: N802 - reportlab's name
            with _kinsoku():
                return super().breakLinesCJK(maxWidths)

    out: list = []
    for b in blocks(chapter.markdown):
        if b.kind in ("h1", "h2", "h3"):
            p = Para(inline(b.text, font), styles[b.kind])
            # the contents list the chapters; the PDF's bookmarks their sections too
            p.toc_level = {"h1": 0, "h2": 1}.get(b.kind)
            p.toc_text = re.sub(r"[*`]", "", b.text)
            out.append(p)
        elif b.kind == "p":
            out.append(Para(inline(b.text, font), styles["body"]))
        elif b.kind in ("ol", "ul"):
            for n, (text, subs) in enumerate(b.items, 1):
                out.append(Para(inline(text, font), styles["item"], bulletText=f"{n}." if b.kind == "ol" else "•"))
                out += [Para(inline(s, font), styles["sub"], bulletText="–") for s in subs]
            out.append(Spacer(1, 4))
        elif b.kind == "img":
            path = (chapter.path.parent / b.target).resolve()
            from reportlab.lib.utils import ImageReader

            w, h = ImageReader(str(path)).getSize()
            # a screenshot of the 1024-pixel screen at most of the text's width (a smaller one
            # at the same scale, never blown up), never more than half the page high
            scale = min(width * SHOT_WIDTH / max(w, SCREEN_PIXELS), height * 0.5 / h)
            framed = Table([[Image(str(path), width=w * scale, height=h * scale)]])
            framed.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#9a9a9a")),
                                        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
            caption = Para(escape(b.text), styles["caption"]) if b.text else Spacer(1, 8)
            out += [Spacer(1, 4), KeepTogether([framed, caption])]
        elif b.kind == "table":
            columns = max(len(r) for r in b.items)
            rows = [[Para(inline(c, font), styles["cell"]) for c in r + [""] * (columns - len(r))] for r in b.items]
            first = 0.38 if columns == 2 else 1 / columns
            widths = [width * first] + [width * (1 - first) / (columns - 1)] * (columns - 1)
            table = Table(rows, colWidths=widths, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9a9a9a")),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6ecf3")),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            out += [Spacer(1, 2), table, Spacer(1, 8)]
    return out


def build_pdf(out_path, lang: str = DEFAULT_LANGUAGE, progress: Callable[[int], None] | None = None) -> Path:
    """The whole guide in `lang` as an A4 PDF at `out_path`; `progress(n)` after each
    chapter is laid out (the contents take a second pass). Returns the file's path."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph, \
        Spacer
    from reportlab.platypus.tableofcontents import TableOfContents

    from printing import fonts

    lang = language(lang)
    words = WORDS[lang]
    font = fonts.register()
    styles = _styles(font, lang)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    side, top, bottom = 20 * mm, 18 * mm, 20 * mm
    width, height = A4[0] - 2 * side, A4[1] - top - bottom
    laid_out = [0]

    class Guide(BaseDocTemplate):
        def afterFlowable(self, flowable):  # noqa: N802 - reportlab's name
            level = getattr(flowable, "toc_level", None)
            if level is not None:
                key = f"s{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.toc_text, key, level=level, closed=level > 0)
                if level == 0:
                    self.notify("TOCEntry", (level, escape(flowable.toc_text), self.page, key))
                    laid_out[0] += 1
                    if progress is not None:
                        progress(laid_out[0])

    def numbered(title_pages: int):
        class NumberedCanvas(Canvas):  # 第 n 页 / 共 m 页: the count is known when it saves
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._pages = []

            def showPage(self):  # noqa: N802 - reportlab's name
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                total = len(self._pages)
                for n, state in enumerate(self._pages, 1):
                    self.__dict__.update(state)
                    if n > title_pages:
                        self.setFont(font, 8.5)
                        self.setFillColorRGB(0.35, 0.35, 0.35)
                        self.drawString(side, 10 * mm, words["running"])
                        self.drawRightString(A4[0] - side, 10 * mm, words["page"].format(n=n, total=total))
                        self.setStrokeColorRGB(0.7, 0.7, 0.7)
                        self.setLineWidth(0.4)
                        self.line(side, 14 * mm, A4[0] - side, 14 * mm)
                    super().showPage()
                super().save()

        return NumberedCanvas

    doc = Guide(str(out_path), pagesize=A4, leftMargin=side, rightMargin=side, topMargin=top, bottomMargin=bottom,
                title=words["pdf_title"], subject=words["subtitle"], lang="zh-CN" if lang == "zh_CN" else "en")
    frame = Frame(side, bottom, width, height, id="text", leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0)
    doc.addPageTemplates([PageTemplate("title", [frame]), PageTemplate("text", [frame])])

    toc = TableOfContents(levelStyles=[styles["toc0"]], dotsMinLevel=0)
    story: list = [Spacer(1, height * 0.3), Paragraph(escape(words["title"]), styles["title"]),
                   Spacer(1, 6 * mm), Paragraph(escape(words["subtitle"]), styles["subtitle"]),
                   Spacer(1, 18 * mm), Paragraph(escape(words["for"]), styles["note"]),
                   Spacer(1, 4 * mm), Paragraph(escape(words["f1"]), styles["note"]),
                   NextPageTemplate("text"), PageBreak(),
                   Paragraph(escape(words["contents"]), styles["h1"]), toc]
    for chapter in chapters(lang):
        story.append(PageBreak())
        story += _flowables(chapter, styles, font, width, height)
    doc.multiBuild(story, canvasmaker=numbered(title_pages=1))
    return out_path


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m printing.guide", description="the clerk's guide as a printable PDF")
    p.add_argument("out", help="the PDF file to write")
    p.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    a = p.parse_args(argv)
    made = build_pdf(a.out, a.lang)
    print(made)
    return 0


if __name__ == "__main__":
    sys.exit(main())
