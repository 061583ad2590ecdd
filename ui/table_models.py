"""Table models. `HouseTableModel` pages through the estate's houses by key, sorted by the
database (models.estate.house_page), so 20,000 houses open as fast as 20; `KeyedModel`
does the same for any list that grows (arrears, a house's parcels, past repairs and
complaints) through the core function that reads its pages. `RowsModel` shows a short,
already-fetched list (a house's owners, a search's results)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from models import estate
from ui import i18n

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_DISPLAY, _ALIGN = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND, _BACKGROUND = Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole


class RowsModel(QAbstractTableModel):
    """A short list of rows already in memory; `rows` hold the objects, `columns` say how
    to show them: (header, function(row) → text, alignment or None)."""

    def __init__(self, columns: list[tuple[str, Callable[[Any], Any], int | None]], parent=None, *,
                 muted: Callable[[Any], bool] | None = None, alert: Callable[[Any], bool] | None = None,
                 shade: Callable[[Any], QColor | None] | None = None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list[Any] = []
        self._texts: dict[tuple[int, int], str] = {}
        self.muted = muted  # history (a former owner, a resident who moved out): grey
        self.alert = alert  # what needs doing (a missing paper): red
        self.shade = shade  # a row's background (a parcel waiting past its free time)
        # rows changed in place: the texts are read again (connected before any view's slots)
        self.layoutChanged.connect(self._forget_texts)
        self.dataChanged.connect(self._forget_texts)

    def _forget_texts(self, *_args) -> None:
        self._texts = {}

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._texts: dict[tuple[int, int], str] = {}  # the view asks for a cell's text many times
        self.endResetModel()

    def row_object(self, row: int):
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index, role=_DISPLAY):
        if role == _DISPLAY:
            key = (index.row(), index.column())
            text = self._texts.get(key)
            if text is None and 0 <= key[0] < len(self.rows) and 0 <= key[1] < len(self.columns):
                value = self.columns[key[1]][1](self.rows[key[0]])
                text = self._texts[key] = "" if value is None else str(value)
            return text
        if role == _ALIGN:
            return self.columns[index.column()][2] if 0 <= index.column() < len(self.columns) else None
        if role == _BACKGROUND and self.shade and 0 <= index.row() < len(self.rows):
            return self.shade(self.rows[index.row()])
        if role == _FOREGROUND and (self.alert or self.muted) and 0 <= index.row() < len(self.rows):
            row = self.rows[index.row()]
            if self.alert and self.alert(row):
                return QColor("#c0392b")
            if self.muted and self.muted(row):
                return QColor("#8a8a8a")
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.columns):
                return self.columns[section][0]
        return None


class PagedModel(QAbstractTableModel):
    """A long list read from the database a page at a time, as the view scrolls: a
    subclass says how to fetch the page after a given last row (keyset pagination),
    never with OFFSET, so the 100th page costs what the first does."""

    PAGE = 200

    def __init__(self, headers: list[str], parent=None):
        super().__init__(parent)
        self._headers = headers
        self._rows: list = []
        self._more = True

    def next_page(self, last, limit: int) -> list:
        raise NotImplementedError

    def reload(self) -> None:
        """From the first page again: read within the reset, so that a view told of the
        reset finds the rows there (no insertion while the reset is still being told)."""
        self.beginResetModel()
        try:
            self._rows = list(self.next_page(None, self.PAGE))
            self._more = len(self._rows) == self.PAGE
        finally:
            self.endResetModel()

    def canFetchMore(self, parent):  # noqa: N802
        return not parent.isValid() and self._more

    def fetchMore(self, parent):  # noqa: N802
        if parent.isValid() or not self._more:
            return
        page = self.next_page(self._rows[-1] if self._rows else None, self.PAGE)
        self._more = len(page) == self.PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._headers):
                return self._headers[section]
        return None


class KeyedModel(PagedModel):
    """A list that can grow without end (arrears on a 20,000-house estate, a house's parcels,
    the repairs and complaints of past months), read a page at a time by key through a core
    function `next_page(last_row, limit)`; its columns as RowsModel's."""

    def __init__(self, columns: list[tuple[str, Callable[[Any], Any], int | None]], next_page, parent=None, *,
                 alert: Callable[[Any], bool] | None = None, muted: Callable[[Any], bool] | None = None,
                 shade: Callable[[Any], QColor | None] | None = None):
        super().__init__([c[0] for c in columns], parent)
        self.columns, self._next_page = columns, next_page
        self.alert, self.muted, self.shade = alert, muted, shade
        self._more = False  # nothing read until reload()

    def next_page(self, last, limit: int) -> list:
        return self._next_page(last, limit)

    @property
    def rows(self) -> list:
        """The rows read so far."""
        return self._rows

    def row_object(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def fetch_all(self) -> list:
        """Every row (a printout of the whole list), read page by page."""
        while self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())
        return self._rows

    def refresh_rows(self) -> None:
        """The rows read so far shown again (what a column computes changed)."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    def data(self, index, role=_DISPLAY):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or not (
                0 <= index.column() < len(self.columns)):
            return None
        row = self._rows[index.row()]
        if role == _DISPLAY:
            value = self.columns[index.column()][1](row)
            return "" if value is None else str(value)
        if role == _ALIGN:
            return self.columns[index.column()][2]
        if role == _BACKGROUND and self.shade:
            return self.shade(row)
        if role == _FOREGROUND:
            if self.alert and self.alert(row):
                return QColor("#c0392b")
            if self.muted and self.muted(row):
                return QColor("#8a8a8a")
        return None


class HouseTableModel(PagedModel):
    """The estate's houses, filtered by building or unit and sorted by the database."""

    def __init__(self, user, parent=None):
        super().__init__([self.tr("House"), self.tr("Floor"), self.tr("Area (m²)"), self.tr("Use"),
                          self.tr("State"), self.tr("Owners")], parent)
        self.user = user
        self._sort_column = 0
        self._order = Qt.SortOrder.AscendingOrder
        self._building_id: int | None = None
        self._unit_id: int | None = None

    def set_filter(self, building_id: int | None = None, unit_id: int | None = None) -> None:
        self._building_id, self._unit_id = building_id, unit_id
        self.reload()

    def house_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, house_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if r.id == house_id:
                return i
        return None

    def next_page(self, last, limit: int) -> list:
        return estate.house_page(self.user, building_id=self._building_id, unit_id=self._unit_id,
                                 sort=estate.HOUSE_SORTS[self._sort_column],
                                 ascending=self._order == Qt.SortOrder.AscendingOrder,
                                 after=last, limit=limit)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        h = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return [h.label, str(h.floor), estate.fmt_area(h.area), i18n.office(estate.USES.get(h.use, h.use)),
                    i18n.office(estate.STATES.get(h.state, h.state)), h.owner_names][col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2):
            return RIGHT
        if role == Qt.ItemDataRole.UserRole:
            return h.id
        return None

    def sort(self, column, order=Qt.SortOrder.AscendingOrder):
        if not 0 <= column < len(self._headers):
            return
        self._sort_column, self._order = column, order
        self.reload()
