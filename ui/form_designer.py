"""The form designer (收据格式设计): the office fits its receipt template to its own stock.
A scan or photo of the stock lies under the paper at the paper's true size; each value of
the receipt is a box dragged and resized with the mouse, nudged with the arrow keys by
0.5 mm (Shift+arrows: its size), its position and size shown and typed in mm; the preview
prints the demo's receipt through it, the test print puts it on a millimetre grid with
every box outlined to lay over the stock; every change can be undone (Ctrl+Z, Ctrl+Y).
Saved, the template is the office's (models/templates), for every PC to choose."""
from __future__ import annotations

import base64
from dataclasses import replace

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QKeySequence, QPainter, QPen, QPixmap, QShortcut, QUndoCommand, \
    QUndoStack
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDoubleSpinBox, QFileDialog, QFormLayout, QGraphicsItem,
                               QGraphicsPixmapItem, QGraphicsRectItem, QGraphicsScene, QGraphicsSimpleTextItem,
                               QGraphicsView, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QMessageBox, QPushButton, QSpinBox, QSplitter, QVBoxLayout, QWidget)

from models import clock, templates
from models.errors import OfficeError
from ui import i18n
from ui.kit import act, refusal

STEP = 0.5  # mm: one press of an arrow key
HANDLE = 2.0  # mm: the corner a box is resized by
BACKGROUND_DPI = 150  # a scan is kept at this resolution: enough to place boxes, small enough to share


class Change(QUndoCommand):
    """One edit of the template: its whole before and after (templates are small)."""

    def __init__(self, designer: "FormDesigner", before: templates.Template, after: templates.Template, text: str,
                 chosen_before, chosen_after):
        super().__init__(text)
        self.designer, self.before, self.after = designer, before, after
        # the box chosen on either side of the edit: boxes are known by their place in the list
        self.chosen_before, self.chosen_after = chosen_before, chosen_after

    def redo(self):
        self.designer.current_key = self.chosen_after
        self.designer.show_template(self.after)

    def undo(self):
        self.designer.current_key = self.chosen_before
        self.designer.show_template(self.before)


class Box(QGraphicsRectItem):
    """A value's box on the paper, in mm. Dragged, it moves; dragged by its bottom right
    corner, it changes size; the template changes once the mouse is let go."""

    def __init__(self, designer: "FormDesigner", key, x: float, y: float, w: float, h: float, label: str,
                 colour: QColor):
        super().__init__(0, 0, w, h)
        self.designer, self.key = designer, key
        self.setPos(x, y)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable)
        pen = QPen(colour, 0)
        pen.setCosmetic(True)
        self.setPen(pen)
        fill = QColor(colour)
        fill.setAlpha(40)
        self.setBrush(QBrush(fill))
        self.caption = QGraphicsSimpleTextItem(label, self)
        font = QFont()
        font.setPointSizeF(2.2)  # scene units are mm: a caption about 2 mm high at any zoom
        self.caption.setFont(font)
        self.caption.setBrush(QBrush(colour.darker(160)))
        self.caption.setPos(0.4, 0.1)
        self.resizing = False
        self.pressed_at = QPointF()

    def corner(self, where: QPointF) -> bool:
        r = self.rect()
        return where.x() >= r.right() - HANDLE and where.y() >= r.bottom() - HANDLE

    def mousePressEvent(self, event):  # noqa: N802
        self.pressed_at = self.pos()
        self.resizing = event.button() == Qt.MouseButton.LeftButton and self.corner(event.pos())
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):  # noqa: N802
        if self.resizing:
            self.setRect(0, 0, max(1.0, event.pos().x()), max(1.0, event.pos().y()))
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):  # noqa: N802
        super().mouseReleaseEvent(event)
        if self.resizing:
            self.resizing = False
            r = self.rect()
            self.designer.set_box(self.key, w=snap(r.width()), h=snap(r.height()))
        elif self.pos() != self.pressed_at:
            self.designer.set_box(self.key, x=snap(self.pos().x()), y=snap(self.pos().y()))

    def paint(self, painter, option, widget=None):
        super().paint(painter, option, widget)
        r = self.rect()  # the corner to resize by
        painter.fillRect(QRectF(r.right() - HANDLE * 0.6, r.bottom() - HANDLE * 0.6, HANDLE * 0.6, HANDLE * 0.6),
                         self.pen().color())


def typed(spin, current: float) -> float:
    """The spin box's value, or `current` as it is when the box shows it unchanged (a box of
    one decimal shows 24.38 as 24.4: another property's edit must not move it)."""
    return current if round(current, spin.decimals()) == spin.value() else spin.value()


def snap(mm: float) -> float:
    """A position to the 0.1 mm the template keeps."""
    return round(mm * 10) / 10


class Sheet(QGraphicsView):
    """The paper on screen; the arrow keys move the chosen box by 0.5 mm, Shift+arrows
    change its size, Ctrl+wheel zooms."""

    def __init__(self, designer: "FormDesigner"):
        super().__init__()
        self.designer = designer
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setBackgroundBrush(QColor("#8a8f98"))

    def keyPressEvent(self, event):  # noqa: N802
        moves = {Qt.Key.Key_Left: (-STEP, 0), Qt.Key.Key_Right: (STEP, 0), Qt.Key.Key_Up: (0, -STEP),
                 Qt.Key.Key_Down: (0, STEP)}
        if event.key() in moves and self.designer.selected() is not None:
            dx, dy = moves[event.key()]
            self.designer.nudge(dx, dy, resize=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return
        if event.key() == Qt.Key.Key_Delete and self.designer.selected() is not None:
            self.designer.remove_selected()
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event):  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self.scale(factor, factor)
            return
        super().wheelEvent(event)

    def fit(self) -> None:
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self.fit()


class FormDesigner(QDialog):
    saved = Signal(str)  # the template's name, once kept

    def __init__(self, user, template: templates.Template, parent=None):
        super().__init__(parent)
        self.user = user
        self.setWindowTitle(self.tr("Form designer — {document}").format(
            document=i18n.office(templates.DOCUMENTS[template.document].label)))
        self.setSizeGripEnabled(True)
        self.document = templates.DOCUMENTS[template.document]
        self.template = template
        self.kept_as = template.name  # the name it is kept under in the office, if it is
        self.undo = QUndoStack(self)
        self.loading = False
        self.boxes: dict = {}
        self.current_key = None
        self.chosen_before = None  # set by an edit that changes which box is chosen
        self.shown_paper = None  # the paper's size the view was last fitted to: a zoom stays while editing

        self.scene = QGraphicsScene(self)
        self.scene.selectionChanged.connect(self.selection_changed)
        self.sheet = Sheet(self)
        self.sheet.setScene(self.scene)

        # the template's name and paper
        self.name = QLineEdit(template.name)
        self.name.setPlaceholderText(self.tr("e.g. 三联收据 241×93.1"))
        self.paper_w, self.paper_h = self.mm_spin(20, templates.LARGEST_PAPER_MM), \
            self.mm_spin(20, templates.LARGEST_PAPER_MM)
        self.continuous = QCheckBox(self.tr("Continuous form"))
        for spin in (self.paper_w, self.paper_h):
            spin.setKeyboardTracking(False)
        self.paper_w.valueChanged.connect(lambda _v: self.set_paper())
        self.paper_h.valueChanged.connect(lambda _v: self.set_paper())
        self.continuous.toggled.connect(lambda _on: self.set_paper())
        paper = QWidget()
        pl = QHBoxLayout(paper)
        pl.setContentsMargins(0, 0, 0, 0)
        for w in (self.paper_w, QLabel("×"), self.paper_h, self.continuous):
            pl.addWidget(w)
        pl.addStretch(1)

        # what the form carries: every value of the document, ticked when it prints
        self.contents = QListWidget()
        self.contents.setObjectName("form_fields")
        self.contents.itemChanged.connect(self.field_ticked)
        self.contents.currentItemChanged.connect(self.field_chosen)

        # the chosen box, in mm, and its type
        self.x, self.y = self.mm_spin(-10, templates.LARGEST_PAPER_MM), self.mm_spin(-10, templates.LARGEST_PAPER_MM)
        self.w, self.h = self.mm_spin(0, templates.LARGEST_PAPER_MM), self.mm_spin(0, templates.LARGEST_PAPER_MM)
        self.size = QDoubleSpinBox()
        self.size.setRange(templates.SMALLEST, 72)
        self.size.setSingleStep(0.5)
        self.size.setSuffix(" pt")
        self.smallest = QDoubleSpinBox()
        self.smallest.setRange(templates.SMALLEST, 72)
        self.smallest.setSingleStep(0.5)
        self.smallest.setSuffix(" pt")
        self.lines = QSpinBox()
        self.lines.setRange(1, 20)
        self.align = QComboBox()
        for key, label in (("left", self.tr("Left")), ("centre", self.tr("Centre")), ("right", self.tr("Right"))):
            self.align.addItem(label, key)
        self.rows, self.row_h = QSpinBox(), self.mm_spin(2, 50)
        self.rows.setRange(1, 60)
        # one column of the table at a time: where it starts and how wide it is, to match the
        # stock's own column lines
        self.column = QComboBox()
        self.column.setObjectName("form_column")
        self.column.currentIndexChanged.connect(lambda _i: self.show_properties())
        self.col_x, self.col_w = self.mm_spin(0, templates.LARGEST_PAPER_MM), self.mm_spin(0, templates.LARGEST_PAPER_MM)
        for spin in (self.col_x, self.col_w):
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(lambda _v: self.column_changed())
        for spin in (self.x, self.y, self.w, self.h, self.size, self.smallest, self.lines):
            spin.setKeyboardTracking(False)  # a typed number counts once it is entered
            spin.valueChanged.connect(lambda _v: self.properties_changed())
        for spin in (self.rows, self.row_h):
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(lambda _v: self.rows_changed())
        self.align.currentIndexChanged.connect(lambda _i: self.properties_changed())
        self.props = QFormLayout()
        self.props.addRow(self.tr("Left (mm)"), self.x)
        self.props.addRow(self.tr("Top (mm)"), self.y)
        self.props.addRow(self.tr("Width (mm)"), self.w)
        self.props.addRow(self.tr("Height (mm)"), self.h)
        self.props.addRow(self.tr("Type size"), self.size)
        self.props.addRow(self.tr("Smallest size"), self.smallest)
        self.props.addRow(self.tr("Lines"), self.lines)
        self.props.addRow(self.tr("Align"), self.align)
        self.props.addRow(self.tr("Rows per form"), self.rows)
        self.props.addRow(self.tr("Row height (mm)"), self.row_h)
        self.props.addRow(self.tr("Column"), self.column)
        column_where = QWidget()
        cl = QHBoxLayout(column_where)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.col_x)
        cl.addWidget(QLabel(self.tr("wide")))
        cl.addWidget(self.col_w)
        self.props.addRow(self.tr("Column from (mm)"), column_where)
        self.where = QLabel()
        self.where.setWordWrap(True)

        words = QPushButton(self.tr("Add words…"))
        words.setToolTip(self.tr("Words that print on plain paper only, such as a heading the stock lacks"))
        words.clicked.connect(lambda: self.add_words())
        picture = QPushButton(self.tr("Picture of the stock…"))
        picture.clicked.connect(lambda: self.choose_background())
        self.data_only = QCheckBox(self.tr("Preview values only (套打)"))
        self.data_only.setChecked(True)
        preview = QPushButton(self.tr("Preview"))
        preview.clicked.connect(lambda: self.preview())
        test = QPushButton(self.tr("Test print on a grid…"))
        test.clicked.connect(lambda: self.test_print())
        undo, redo = QPushButton(self.tr("Undo")), QPushButton(self.tr("Redo"))
        undo.clicked.connect(self.undo.undo)
        redo.clicked.connect(self.undo.redo)
        self.undo.canUndoChanged.connect(undo.setEnabled)
        self.undo.canRedoChanged.connect(redo.setEnabled)
        undo.setEnabled(False)
        redo.setEnabled(False)
        save = QPushButton(self.tr("Save"))
        save.clicked.connect(lambda: self.save())
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        for b in (words, picture, preview, test, undo, redo, save, close):
            b.setAutoDefault(False)
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=self.undo.undo)
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:  # one shortcut for both: two would be ambiguous
            redo_keys.append(QKeySequence("Ctrl+Y"))
        redo_shortcut = QShortcut(self)
        redo_shortcut.setKeys(redo_keys)
        redo_shortcut.activated.connect(self.undo.redo)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=lambda: self.save())

        side = QWidget()
        side.setMaximumWidth(380)
        sl = QVBoxLayout(side)
        top = QFormLayout()
        top.addRow(self.tr("Name"), self.name)
        top.addRow(self.tr("Paper (mm)"), paper)
        sl.addLayout(top)
        sl.addWidget(QLabel(self.tr("On the form (tick what prints):")))
        sl.addWidget(self.contents, 1)
        sl.addLayout(self.props)
        sl.addWidget(self.where)
        split = QSplitter()
        split.addWidget(self.sheet)
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setChildrenCollapsible(False)
        buttons = QHBoxLayout()
        for w in (words, picture, self.data_only, preview, test):
            buttons.addWidget(w)
        buttons.addStretch(1)
        for w in (undo, redo, save, close):
            buttons.addWidget(w)
        box = QVBoxLayout(self)
        box.addWidget(split, 1)
        box.addLayout(buttons)
        screen = self.screen().availableGeometry()
        self.resize(min(1180, screen.width() - 16), min(720, screen.height() - 48))
        split.setSizes([self.width() - 330, 330])
        self.show_template(template)
        self.sheet.setFocus()

    @staticmethod
    def mm_spin(low: float, high: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setDecimals(1)
        spin.setSingleStep(STEP)
        spin.setSuffix(" mm")
        return spin

    # --- the template on the screen ----------------------------------------------------------

    def show_template(self, t: templates.Template) -> None:
        """Everything drawn again from `t`, the chosen box kept chosen."""
        self.template = t
        self.loading = True
        key = self.current_key
        self.scene.blockSignals(True)
        self.scene.clear()
        self.boxes = {}
        self.scene.setSceneRect(QRectF(-4, -4, t.width + 8, t.height + 8))
        paper = self.scene.addRect(QRectF(0, 0, t.width, t.height), QPen(QColor("#333"), 0), QBrush(QColor("white")))
        paper.setZValue(-2)
        if t.background:
            image = QImage.fromData(base64.b64decode(t.background))
            if not image.isNull():
                stock = QGraphicsPixmapItem(QPixmap.fromImage(image))
                stock.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
                # the stock at its true size: the picture's width and height are the paper's
                stock.setTransform(stock.transform().scale(t.width / image.width(), t.height / image.height()))
                stock.setZValue(-1)
                stock.setOpacity(0.85)
                self.scene.addItem(stock)
        blue, grey = QColor("#1565c0"), QColor("#6d6d6d")
        for n, item in enumerate(t.items):
            if item.kind == "field":
                label = i18n.office(self.document.fields.get(item.name, item.name))
                colour = blue
            elif item.kind == "text":
                label, colour = item.text, grey
            elif item.kind == "code":
                label, colour = self.tr("QR code"), QColor("#6a1b9a")
            else:
                continue
            b = Box(self, ("item", n), item.x, item.y, item.w, item.h, label, colour)
            self.scene.addItem(b)
            self.boxes[("item", n)] = b
        if t.table is not None:
            table = t.table
            b = Box(self, ("table",), table.x, table.y, table.w, table.bottom - table.y,
                    self.tr("Charge lines"), QColor("#2e7d32"))
            for c in table.columns[1:]:
                line = self.scene.addLine(c.x - table.x, 0, c.x - table.x, table.bottom - table.y,
                                          QPen(QColor("#2e7d32"), 0, Qt.PenStyle.DashLine))
                line.setParentItem(b)
            self.scene.addItem(b)
            self.boxes[("table",)] = b
        self.scene.blockSignals(False)
        if self.name.text().strip() != t.name and t.name:
            self.name.setText(t.name)
        self.paper_w.setValue(t.width)
        self.paper_h.setValue(t.height)
        self.continuous.setChecked(t.continuous)
        self.fill_contents()
        self.loading = False
        if key in self.boxes:
            self.boxes[key].setSelected(True)
        self.selection_changed()
        if self.shown_paper != (t.width, t.height):  # a new paper: fitted to the view; else the zoom stays
            self.shown_paper = (t.width, t.height)
            self.sheet.fit()

    def fill_contents(self) -> None:
        on_form = self.template.fields()
        self.contents.blockSignals(True)
        self.contents.clear()
        for name, label in self.document.fields.items():
            row = QListWidgetItem(i18n.office(label))
            row.setData(Qt.ItemDataRole.UserRole, name)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if name in on_form else Qt.CheckState.Unchecked)
            self.contents.addItem(row)
        self.contents.blockSignals(False)

    def selected(self):
        return self.current_key

    def key_of_field(self, name: str):
        for n, item in enumerate(self.template.items):
            if item.kind == "field" and item.name == name:
                return ("item", n)
        return None

    def choose_field(self, name: str) -> Box | None:
        """The box of the field `name` chosen, as a click on it would."""
        key = self.key_of_field(name)
        if key is None:
            return None
        self.scene.clearSelection()
        self.boxes[key].setSelected(True)
        return self.boxes[key]

    def selection_changed(self) -> None:
        chosen = [b for b in self.scene.selectedItems() if isinstance(b, Box)]
        self.current_key = chosen[0].key if chosen else None
        self.show_properties()

    def show_properties(self) -> None:
        self.loading = True
        key = self.current_key
        table = key == ("table",)
        item = self.template.items[key[1]] if key and key[0] == "item" else None
        for w in (self.x, self.y, self.w, self.h):
            w.setEnabled(key is not None)
        for w in (self.size, self.smallest, self.lines, self.align):
            w.setEnabled(item is not None)
        for w in (self.rows, self.row_h, self.column, self.col_x, self.col_w):
            w.setEnabled(table)
        if item is not None:
            self.x.setValue(item.x)
            self.y.setValue(item.y)
            self.w.setValue(item.w)
            self.h.setValue(item.h)
            self.size.setValue(item.size)
            self.smallest.setValue(item.min_size)
            self.lines.setValue(item.lines)
            self.align.setCurrentIndex(max(0, self.align.findData(item.align)))
            name = (i18n.office(self.document.fields.get(item.name, item.name)) if item.kind == "field" else
                    self.tr("QR code") if item.kind == "code" else item.text)
            self.where.setText(self.tr("{what}: {x} mm from the left edge, {y} mm from the top").format(
                what=name, x=f"{item.x:.1f}", y=f"{item.y:.1f}"))
        elif table:
            t = self.template.table
            self.x.setValue(t.x)
            self.y.setValue(t.y)
            self.w.setValue(t.w)
            self.h.setValue(t.bottom - t.y)
            self.rows.setValue(t.rows)
            self.row_h.setValue(t.row)
            chosen = self.column.currentData()
            self.column.blockSignals(True)
            self.column.clear()
            for c in t.columns:
                self.column.addItem(i18n.office(self.document.columns.get(c.name, c.name)), c.name)
            self.column.setCurrentIndex(max(0, self.column.findData(chosen)))
            self.column.blockSignals(False)
            column = self.chosen_column()
            if column is not None:
                self.col_x.setValue(column.x)
                self.col_w.setValue(column.w)
            self.where.setText(self.tr("The charge lines: {rows} rows of {row} mm").format(rows=t.rows,
                                                                                          row=f"{t.row:.1f}"))
        else:
            self.where.setText(self.tr("Click a box on the form to place it; the arrow keys move it by 0.5 mm, "
                                       "Shift+arrows change its size."))
        self.loading = False

    # --- edits ------------------------------------------------------------------------------------

    def change(self, after: templates.Template, text: str, chosen_after="same") -> None:
        """Push the edit; `chosen_after`: the box chosen once it is made (else the one now)."""
        if after != self.template:
            before_key = self.chosen_before if self.chosen_before is not None else self.current_key
            self.undo.push(Change(self, self.template, after, text, before_key,
                                  self.current_key if chosen_after == "same" else chosen_after))
        self.chosen_before = None

    def set_box(self, key, **where) -> None:
        """The box `key` moved or resized (mm): x, y, w, h as given."""
        t = self.template
        if key == ("table",):
            table = t.table
            x = where.get("x", table.x)
            columns = table.columns
            if "w" in where and table.w > 0 and where["w"] != table.w:  # wider or narrower: the columns with it
                scale = where["w"] / table.w
                columns = tuple(replace(c, x=round(x + (c.x - table.x) * scale, 2), w=round(c.w * scale, 2))
                                for c in columns)
            elif x != table.x:  # moved: the columns by just as much
                columns = tuple(replace(c, x=round(c.x + x - table.x, 2)) for c in columns)
            row = table.row
            if "h" in where and where["h"] != table.bottom - table.y:  # taller or shorter: every row a share
                row = max(templates.LOWEST_BOX_MM, round((where["h"] - table.head) / table.rows, 3))
            after = replace(t, table=replace(table, x=x, y=where.get("y", table.y), w=where.get("w", table.w),
                                             row=row, columns=columns))
        else:
            items = list(t.items)
            items[key[1]] = replace(items[key[1]], **where)
            after = replace(t, items=tuple(items))
        self.current_key = key
        self.change(after, self.tr("Move"))

    def nudge(self, dx: float, dy: float, *, resize: bool = False) -> None:
        key = self.current_key
        if key is None:
            return
        if key == ("table",):
            table = self.template.table
            x, y, w, h = table.x, table.y, table.w, table.bottom - table.y
        else:
            item = self.template.items[key[1]]
            x, y, w, h = item.x, item.y, item.w, item.h
        if resize:
            self.set_box(key, w=snap(max(1.0, w + dx)), h=snap(max(1.0, h + dy)))
        else:
            self.set_box(key, x=snap(x + dx), y=snap(y + dy))

    def properties_changed(self) -> None:
        if self.loading or self.current_key is None:
            return
        key = self.current_key
        if key == ("table",):
            table = self.template.table
            self.set_box(key, x=typed(self.x, table.x), y=typed(self.y, table.y), w=max(1.0, typed(self.w, table.w)),
                         h=max(1.0, typed(self.h, table.bottom - table.y)))
            return
        item = self.template.items[key[1]]
        smallest = min(typed(self.smallest, item.min_size), typed(self.size, item.size))
        # the smallest size typed is the least the value may shrink to (the built-in layout's
        # own forms go smaller still before they cut a value short; a typed one never does)
        type_size = {} if smallest == item.min_size else {"min_size": smallest, "floor": None}
        after = replace(item, x=typed(self.x, item.x), y=typed(self.y, item.y), w=max(0.5, typed(self.w, item.w)),
                        h=max(0.5, typed(self.h, item.h)), size=typed(self.size, item.size), lines=self.lines.value(),
                        align=self.align.currentData(), **type_size)
        if after != item:
            items = list(self.template.items)
            items[key[1]] = after
            self.change(replace(self.template, items=tuple(items)), self.tr("Change"))

    def rows_changed(self) -> None:
        """The table's rows per form or their height typed."""
        if self.loading or self.current_key != ("table",):
            return
        table = self.template.table
        rows, row = self.rows.value(), typed(self.row_h, table.row)
        if (rows, row) != (table.rows, table.row):
            self.change(replace(self.template, table=replace(table, rows=rows, row=row)), self.tr("Rows"))

    def chosen_column(self):
        table = self.template.table
        name = self.column.currentData()
        return next((c for c in table.columns if c.name == name), None) if table is not None else None

    def column_changed(self) -> None:
        """The chosen column's start or width typed: its neighbours keep theirs."""
        if self.loading or self.current_key != ("table",):
            return
        column = self.chosen_column()
        if column is None:
            return
        x, w = typed(self.col_x, column.x), max(0.5, typed(self.col_w, column.w))
        if (x, w) != (column.x, column.w):
            table = self.template.table
            columns = tuple(replace(c, x=x, w=w) if c.name == column.name else c for c in table.columns)
            self.change(replace(self.template, table=replace(table, columns=columns)), self.tr("Column"))

    def set_paper(self) -> None:
        if self.loading:
            return
        self.change(replace(self.template, width=self.paper_w.value(), height=self.paper_h.value(),
                            continuous=self.continuous.isChecked()), self.tr("Paper"))

    def field_chosen(self, row, _previous=None) -> None:
        if row is not None and not self.loading:
            self.choose_field(row.data(Qt.ItemDataRole.UserRole))

    def field_ticked(self, row: QListWidgetItem) -> None:
        """A value put on the form (in the middle of the paper, to be placed) or taken off."""
        name = row.data(Qt.ItemDataRole.UserRole)
        on = row.checkState() == Qt.CheckState.Checked
        t = self.template
        self.chosen_before = self.current_key
        if on and name not in t.fields():
            w = min(40.0, t.width / 3)
            new = templates.Item("field", snap(t.width / 2 - w / 2), snap(t.height / 2 - 3), w, 6.0, name=name)
            self.current_key = ("item", len(t.items))
            self.change(replace(t, items=t.items + (new,)), self.tr("Add"))
        elif not on and name in t.fields():
            self.current_key = None
            self.change(replace(t, items=tuple(i for i in t.items if not (i.kind == "field" and i.name == name))),
                        self.tr("Remove"))
        else:
            self.chosen_before = None

    def add_words(self, text: str | None = None) -> bool:
        """Words of the office's own on the form (printed on plain paper only), put in the
        middle of the paper to be placed."""
        from PySide6.QtWidgets import QInputDialog

        if text is None:
            text, ok = QInputDialog.getText(self, self.tr("Add words"), self.tr("Words:"))
            if not ok:
                return False
        text = text.strip()
        if not text:
            return False
        t = self.template
        w = min(60.0, t.width / 2)
        new = templates.Item("text", snap(t.width / 2 - w / 2), snap(t.height / 2 - 3), w, 6.0,
                             text=text[:templates.LONGEST_WORDS])
        self.chosen_before = self.current_key
        self.current_key = ("item", len(t.items))
        self.change(replace(t, items=t.items + (new,)), self.tr("Add"))
        return True

    def remove_selected(self) -> None:
        key = self.current_key
        if key is None or key == ("table",):
            return
        self.chosen_before = key
        self.current_key = None
        self.change(replace(self.template, items=tuple(i for n, i in enumerate(self.template.items)
                                                       if n != key[1])), self.tr("Remove"))

    def choose_background(self, path: str | None = None) -> bool:
        """A scan or photo of the stock, laid under the paper at its true size; kept with the
        template at 150 dpi."""
        from ui import prefs

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Picture of the stock"), prefs.folder("import/folder"),
                                                  self.tr("Pictures (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)"))
            if not path:
                return False
        image = QImage(path)
        if image.isNull():
            QMessageBox.warning(self, self.tr("Picture of the stock"), self.tr(
                "The file is not a picture this program can read. Scan the stock as PNG or JPEG."))
            return False
        t = self.template
        width = max(1, round(t.width / 25.4 * BACKGROUND_DPI))
        height = max(1, round(t.height / 25.4 * BACKGROUND_DPI))
        image = image.convertToFormat(QImage.Format.Format_RGB32).scaled(
            width, height, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", 85)
        buffer.close()
        self.change(replace(t, background=base64.b64encode(bytes(data)).decode("ascii")), self.tr("Picture"))
        return True

    # --- trying it, keeping it ------------------------------------------------------------------

    def current(self) -> templates.Template:
        return replace(self.template, name=self.name.text().strip())

    def render(self, *, grid: bool = False) -> bytes | None:
        from models import estate
        from printing import forms
        from printing.furniture import Letterhead
        from printing.template import Overprint, Unfit

        problems = templates.check(replace(self.current(), name=self.current().name or "-"))
        try:
            if problems:
                raise templates.TemplateInvalid(problems)
            return forms.sample_pdf(self.current(), Letterhead.from_profile(estate.profile()), clock.today(),
                                    plain=not self.data_only.isChecked(), grid=grid)
        except (templates.TemplateInvalid, Unfit, Overprint) as e:
            refusal(self, self.windowTitle(), e)
            return None

    def preview(self, exec_dialog: bool = True):
        """The demo's receipt through the form, as this PC would print it."""
        return self.show_print(self.tr("Form {name}"), "form-preview.pdf", exec_dialog)

    def test_print(self, exec_dialog: bool = True):
        """The form over a millimetre grid with its boxes outlined: printed on plain paper and
        laid over the stock against the light, it shows what to move."""
        return self.show_print(self.tr("Test print {name}"), "form-test.pdf", exec_dialog, grid=True)

    def show_print(self, title: str, file_name: str, exec_dialog: bool, *, grid: bool = False):
        from ui.preview import PreviewDialog

        pdf = self.render(grid=grid)
        if pdf is None:
            return None
        dialog = PreviewDialog(pdf, title.format(name=self.current().name or "-"), self, file_name=file_name)
        if exec_dialog:
            dialog.exec()
        return dialog

    def save(self) -> bool:
        t = self.current()
        replacing = bool(self.kept_as) and t.name == self.kept_as
        done = act(self, self.tr("Save form"), templates.save, self.user, t, replacing=replacing)
        if not done and isinstance(done.error, OfficeError) and getattr(done.error, "fields", None) \
                and "name" in done.error.fields and t.name in templates.names(t.document):
            if QMessageBox.question(self, self.tr("Save form"), self.tr(
                    "The office has a form named {name} already. Replace it with this one?").format(name=t.name)) \
                    != QMessageBox.StandardButton.Yes:
                return False
            done = act(self, self.tr("Save form"), templates.save, self.user, t, replacing=True)
        if not done:
            return False
        self.kept_as = t.name
        self.undo.setClean()
        self.saved.emit(t.name)
        return True

    def reject(self):  # Esc: as closing the window, the changes are asked about first
        if self.keep_or_drop():
            super().reject()

    def keep_or_drop(self) -> bool:
        """True when the window may close: nothing unsaved, or saved or let go on asking."""
        renamed = bool(self.kept_as) and self.name.text().strip() != self.kept_as
        if (self.undo.isClean() or not self.undo.count()) and not renamed:
            return True
        answer = QMessageBox.question(self, self.windowTitle(), self.tr("Save the changes to the form?"),
                                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                                      | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Cancel:
            return False
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        self.undo.setClean()  # let go: closing again does not ask
        self.name.setText(self.kept_as or self.name.text())
        return True

    def closeEvent(self, event):  # noqa: N802
        if not self.keep_or_drop():
            event.ignore()
            return
        super().closeEvent(event)
