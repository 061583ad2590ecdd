"""A signature drawn on screen with the mouse or a pen (签名板): strokes on white, kept as a
small PNG with the record it signs."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class SignaturePad(QWidget):
    """Draw with the left button or a pen; `png()` is None until something is drawn."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumSize(QSize(320, 110))
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.strokes: list[QPainterPath] = []
        self._current: QPainterPath | None = None

    def is_empty(self) -> bool:
        return not self.strokes

    def clear(self) -> None:
        self.strokes, self._current = [], None
        self.update()

    def _start(self, p: QPointF) -> None:
        self._current = QPainterPath(p)
        self.strokes.append(self._current)

    def _move(self, p: QPointF) -> None:
        if self._current is not None:
            self._current.lineTo(p)
            self.update()

    def mousePressEvent(self, event):  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._start(event.position())

    def mouseMoveEvent(self, event):  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._move(event.position())

    def mouseReleaseEvent(self, event):  # noqa: N802
        self._current = None

    def tabletEvent(self, event):  # noqa: N802
        kind = event.type()
        if kind == event.Type.TabletPress:
            self._start(event.position())
        elif kind == event.Type.TabletMove:
            self._move(event.position())
        else:
            self._current = None
        event.accept()

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#111111"), 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                            Qt.PenJoinStyle.RoundJoin))
        for path in self.strokes:
            if path.elementCount() == 1:
                painter.drawPoint(path.currentPosition())
            else:
                painter.drawPath(path)

    def paintEvent(self, _event):  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QColor("#bbbbbb"))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        self._paint(painter)

    def png(self) -> bytes | None:
        if self.is_empty():
            return None
        image = QImage(self.size(), QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self._paint(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        return bytes(data)


class SignatureBox(QWidget):
    """The pad with its hint and a button to start again."""

    def __init__(self, hint: str, parent=None):
        super().__init__(parent)
        self.pad = SignaturePad()
        again = QPushButton(self.tr("Clear"))
        again.clicked.connect(self.pad.clear)
        top = QHBoxLayout()
        top.addWidget(QLabel(hint), 1)
        top.addWidget(again)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.pad)
