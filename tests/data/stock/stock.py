"""A 三联 receipt book's form as an office buys it pre-printed (241 × 93.1 mm, the continuous
form torn at its perforations): the company's name, the title, the printed number in red,
the boxes with their words. `draw(path)` makes the picture a scanner would give of it
(150 dpi, the red ink a little uneven, the paper not quite white, the scan a hair skewed);
`fitted()` is the office's template fitted to it, each value in its box, the number left
out (the stock has its own). The layout below is the form's, in mm from its top left.

    python -m tests.data.stock.stock tests/data/stock/cuihu_receipt.png"""
from __future__ import annotations

import sys
from pathlib import Path

WIDTH, HEIGHT = 241.0, 93.1
HERE = Path(__file__).resolve().parent
SCAN = HERE / "cuihu_receipt.png"

# the words printed on the stock, and where the values go (x, y, w, h in mm)
LABELS = [("深圳市翠湖花园物业服务有限公司", 120.5, 9.5, 4.6, "centre"), ("收  款  收  据", 120.5, 17.0, 6.0, "centre"),
          ("日期：", 12, 25.5, 3.0, "left"), ("交款人：", 80, 25.5, 3.0, "left"),
          ("房号：", 12, 32.0, 3.0, "left"), ("付款方式：", 168, 32.0, 3.0, "left"),
          ("收款项目", 47, 40.4, 3.0, "centre"), ("所属期间", 97, 40.4, 3.0, "centre"), ("数量", 132, 40.4, 3.0, "centre"),
          ("单价", 170, 40.4, 3.0, "centre"), ("金额(元)", 208, 40.4, 3.0, "centre"),
          ("合计人民币(大写)", 13, 76.4, 3.0, "left"), ("¥", 182, 76.4, 3.0, "left"),
          ("收款人：", 12, 84.5, 3.0, "left"), ("交款人签字：", 90, 84.5, 3.0, "left"), ("复核：", 170, 84.5, 3.0, "left"),
          ("备注：", 12, 89.2, 2.6, "left")]
NUMBER = ("№ 0012346", 228, 17.0, 4.2)  # printed by the printer of the book, in red
BOXES = {"date": (24, 21.5, 52, 5.5), "payer": (94, 21.5, 70, 5.5), "house": (24, 28.0, 52, 5.5),
         "method": (186, 28.0, 42, 5.5), "total_words": (45, 72.5, 133, 5.5), "total": (186, 72.5, 42, 5.5),
         "cashier": (26, 80.5, 40, 5.0), "note": (22, 85.6, 140, 4.2)}
TABLE = dict(x=12, y=36.5, head=5.5, row=6.0, rows=5)
COLUMNS = [("item", 12, 70), ("period", 82, 30), ("quantity", 112, 40), ("unit_price", 152, 36), ("amount", 188, 40)]


def fitted(name: str = "翠湖三联收据"):
    """The office's template for this stock: the values alone print, each in its box."""
    from models import templates

    items = tuple(templates.Item("field", x, y, w, h, name=key, size=10 if key in ("total", "total_words") else 9,
                                 min_size=7, lines=2 if key in ("payer", "note") else 1,
                                 align="right" if key in ("total",) else "left")
                  for key, (x, y, w, h) in BOXES.items())
    columns = tuple(templates.Column(key, x, w, size=9, min_size=6.5, lines=2, align="right" if key == "amount" else
                                     "left") for key, x, w in COLUMNS)
    table = templates.Table(TABLE["x"], TABLE["y"] + TABLE["head"], 216, TABLE["row"], TABLE["rows"], columns)
    return templates.Template("receipt", name, WIDTH, HEIGHT, continuous=True, items=items, table=table)


def draw(path: Path = SCAN, dpi: int = 150) -> Path:
    """The scanned form as a PNG."""
    import random

    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QPen

    from printing import fonts

    px = dpi / 25.4
    image = QImage(round(WIDTH * px), round(HEIGHT * px), QImage.Format.Format_RGB32)
    image.fill(QColor(250, 247, 240))  # the paper, not quite white
    family = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(fonts.find())))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    p.translate(image.width() / 2, image.height() / 2)
    p.rotate(0.25)  # laid a hair crooked on the scanner's glass
    p.translate(-image.width() / 2, -image.height() / 2)
    p.scale(px, px)  # from here on, mm
    red = QColor(196, 38, 46)
    rng = random.Random(7)

    def ink(colour: QColor) -> QColor:
        c = QColor(colour)
        c.setAlpha(rng.randint(205, 245))  # the press's ink, a little uneven
        return c

    def pen(width_mm: float) -> QPen:
        return QPen(ink(red), width_mm)

    def text(words: str, x: float, y: float, size_mm: float, align: str, colour: QColor = red) -> None:
        font = QFont(family[0] if family else "")
        font.setPixelSize(max(1, round(size_mm * 10)))
        p.save()
        p.scale(0.1, 0.1)
        p.setFont(font)
        p.setPen(ink(colour))
        rect = QRectF((x - 200) * 10 if align == "centre" else x * 10, (y - size_mm) * 10, 4000, size_mm * 14)
        if align == "centre":
            rect = QRectF((x - 200) * 10, (y - size_mm) * 10, 4000, size_mm * 14)
            p.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, words)
        elif align == "right":
            rect = QRectF((x - 400) * 10, (y - size_mm) * 10, 4000, size_mm * 14)
            p.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, words)
        else:
            p.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, words)
        p.restore()

    # the tractor holes of the continuous form, and its frame
    p.setPen(QPen(QColor(170, 170, 170), 0.2))
    for y in range(3, int(HEIGHT), 13):
        for x in (3.2, WIDTH - 3.2):
            p.drawEllipse(QPointF(x, y + 0.5), 2.0, 2.0)
    p.setPen(pen(0.45))
    p.drawRect(QRectF(9, 20, 222, 70.6))
    for label, x, y, size, align in LABELS:
        text(label, x, y + size * 0.15, size, align)
    text(*NUMBER[:4], align="right", colour=QColor(200, 20, 30))
    p.setPen(pen(0.25))
    for key, (x, y, w, h) in BOXES.items():  # the lines the values are written on
        p.drawLine(QPointF(x, y + h), QPointF(x + w, y + h))
    t = TABLE
    bottom = t["y"] + t["head"] + t["row"] * t["rows"]
    p.setPen(pen(0.35))
    p.drawRect(QRectF(t["x"], t["y"], 216, bottom - t["y"] + 6))
    for n in range(t["rows"] + 2):
        y = t["y"] + t["head"] + n * t["row"]
        p.drawLine(QPointF(t["x"], y), QPointF(t["x"] + 216, y))
    for _key, x, _w in COLUMNS[1:]:
        p.drawLine(QPointF(x, t["y"]), QPointF(x, bottom))
    for n, ch in enumerate("第二联收据"):  # down the right margin: which copy this is
        text(ch, WIDTH - 8.2, 34 + n * 4.2, 3.0, "left")
    p.end()
    # the scanner's noise
    for _ in range(image.width() * image.height() // 40):
        x, y = rng.randrange(image.width()), rng.randrange(image.height())
        c = QColor(image.pixel(x, y))
        d = rng.randint(-14, 6)
        image.setPixelColor(x, y, QColor(max(0, min(255, c.red() + d)), max(0, min(255, c.green() + d)),
                                         max(0, min(255, c.blue() + d))))
    image.save(str(path), "PNG")
    return path


if __name__ == "__main__":
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication([])
    print(draw(Path(sys.argv[1]) if len(sys.argv) > 1 else SCAN))
