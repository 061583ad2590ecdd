"""What keeps a page inside the screens offices have (1024 × 768 up to 1920 × 1080), in
Chinese and in the longer English: rows of buttons that wrap onto a second line instead of
widening the window, and a banner that shortens with "…" (the whole text in its tooltip)
instead of pushing the page wider."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QPushButton, QSizePolicy, QSpacerItem, QStyle, QWidget


def _spacer(item: QLayoutItem) -> bool:
    # by type: QLayoutItem.spacerItem() on a widget's item unbalances None's reference count
    # in this PySide6
    return isinstance(item, QSpacerItem)


class FlowLayout(QLayout):
    """A row of buttons (or of small fields) that wraps onto further lines when the page is
    narrow. It takes a QHBoxLayout's calls — addWidget with a stretch, addStretch,
    addSpacing, addLayout — so a button row becomes one by changing its constructor; a
    stretch pushes what follows it to the right of its line, as in a QHBoxLayout."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch: list[int] = []

    # --- a QHBoxLayout's calls ---------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)
        self._stretch.append(0)
        self.invalidate()

    def addWidget(self, widget: QWidget, stretch: int = 0, alignment=None) -> None:  # noqa: N802
        super().addWidget(widget)
        self._stretch[-1] = stretch
        if alignment:
            self._items[-1].setAlignment(alignment)

    def insertWidget(self, index: int, widget: QWidget, stretch: int = 0, alignment=None) -> None:  # noqa: N802
        self.addWidget(widget, stretch, alignment)
        if 0 <= index < len(self._items) - 1:
            self._items.insert(index, self._items.pop())
            self._stretch.insert(index, self._stretch.pop())
            self.invalidate()

    def addLayout(self, layout: QLayout, stretch: int = 0) -> None:  # noqa: N802
        self.addChildLayout(layout)
        self.addItem(layout)
        self._stretch[-1] = stretch

    def addStretch(self, stretch: int = 0) -> None:  # noqa: N802
        self.addItem(QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum))
        self._stretch[-1] = max(1, stretch)

    def addSpacing(self, size: int) -> None:  # noqa: N802
        self.addItem(QSpacerItem(size, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))

    # --- QLayout -------------------------------------------------------------------------

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802
        if 0 <= index < len(self._items):
            self._stretch.pop(index)
            item = self._items.pop(index)
            self.invalidate()
            return item
        return None

    def expandingDirections(self):  # noqa: N802
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def minimumSize(self) -> QSize:  # noqa: N802
        width = height = 0
        for item in self._shown():
            size = item.minimumSize()
            width, height = max(width, size.width()), max(height, size.height())
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def sizeHint(self) -> QSize:  # noqa: N802
        # one line, as a QHBoxLayout would be, where the page has the room
        shown = self._shown()
        width = sum(self._width(item) for item in shown)
        width += self._gap() * max(0, sum(1 for item in shown if not _spacer(item)) - 1)
        height = max((item.sizeHint().height() for item in shown), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        # only what moved is set: in this PySide6 each call of a method that returns
        # nothing costs None a reference, and a layout is set again on every change nearby
        if self.geometry() != rect:
            super().setGeometry(rect)
        self._arrange(rect, apply=True)

    # --- the arrangement ---------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if _spacer(item) or not item.isEmpty()]

    def _gap(self) -> int:
        if self.spacing() >= 0:
            return self.spacing()
        parent = self.parentWidget()
        style = parent.style() if parent is not None else None
        gap = style.pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing) if style else -1
        return gap if gap >= 0 else 6

    @staticmethod
    def _width(item: QLayoutItem) -> int:
        return item.sizeHint().width()

    def _arrange(self, rect: QRect, apply: bool) -> int:
        """Lays the items out in lines inside `rect`; the height they take."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        gap = self._gap()
        lines: list[list[int]] = [[]]
        used = 0
        for index, item in enumerate(self._items):
            if not _spacer(item) and item.isEmpty():
                continue  # a hidden button takes no room
            width = min(self._width(item), max(area.width(), item.minimumSize().width()))
            line = lines[-1]
            widgets = [i for i in line if not _spacer(self._items[i])]
            step = width + (gap if widgets and not _spacer(item) else 0)
            if widgets and not _spacer(item) and used + step > area.width():
                # a stretch or spacing that ended the full line stays there
                lines.append([])
                line, used, step = lines[-1], 0, width
            if not line and _spacer(item) and not self._stretch[index] and len(lines) > 1:
                continue  # no spacing at the start of a wrapped line
            line.append(index)
            used += step
        y = area.y()
        pushed = False  # a stretch came before: lines without one of their own keep to the right
        for n, line in enumerate(lines):
            if not line:
                continue
            widths = {i: min(self._width(self._items[i]), max(area.width(), self._items[i].minimumSize().width()))
                      for i in line}
            widgets = [i for i in line if not _spacer(self._items[i])]
            used = sum(widths.values()) + gap * max(0, len(widgets) - 1)
            spare = max(0, area.width() - used)
            stretch = sum(self._stretch[i] for i in line)
            if stretch and spare:
                given = 0
                stretching = [i for i in line if self._stretch[i]]
                for k, i in enumerate(stretching):
                    more = spare - given if k == len(stretching) - 1 else spare * self._stretch[i] // stretch
                    widths[i] += more
                    given += more
            indent = spare if pushed and not stretch else 0
            pushed = pushed or bool(stretch)
            height = 0
            for i in line:
                item = self._items[i]
                h = item.heightForWidth(widths[i]) if item.hasHeightForWidth() else item.sizeHint().height()
                height = max(height, h)
            if apply:
                x = area.x() + indent
                previous_widget = False
                for i in line:
                    item = self._items[i]
                    if not _spacer(item):
                        if previous_widget:
                            x += gap
                        previous_widget = True
                    h = item.heightForWidth(widths[i]) if item.hasHeightForWidth() else item.sizeHint().height()
                    h = height if item.expandingDirections() & Qt.Orientation.Vertical else min(h, height)
                    place = QRect(QPoint(x, y + (height - h) // 2), QSize(widths[i], h))
                    if item.geometry() != place:
                        item.setGeometry(place)
                    x += widths[i]
            y += height + (gap if n < len(lines) - 1 else 0)
        return y - area.y() + m.top() + m.bottom()


class ElidedButton(QPushButton):
    """A button whose long caption (a banner of what is overdue) shortens with "…" when the
    page is narrow; the whole caption shows in its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802
        self._full = text or ""
        self._elide()
        self.updateGeometry()

    def text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 32, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().horizontalAdvance("…") * 6 + 24, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self.width() - 24))
        tip = self._full if shown != self._full else ""
        if QPushButton.text(self) != shown:
            QPushButton.setText(self, shown)
        if self.toolTip() != tip:
            self.setToolTip(tip)
