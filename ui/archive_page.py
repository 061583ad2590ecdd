"""The archive page (业主档案): the building/unit tree, the house list, the one search box,
and a house's detail with its owners, residents, papers and what the desk should know."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QHeaderView, QLabel, QLineEdit, QMessageBox, QPushButton, QSplitter,
                               QStackedWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
                               QDialog, QDialogButtonBox)

from models import documents, estate, owners, search, users
from models.errors import OfficeError
from ui import i18n
from ui.archive_dialogs import BuildingDialog, HouseDialog, UnitDialog
from ui.house_detail import HouseDetail
from ui.kit import act, refusal, table_view
from ui.reflow import FlowLayout
from ui.table_models import HouseTableModel, RowsModel


class MissingPapersDialog(QDialog):
    """Houses whose archive lacks papers, building by building."""

    open_house = Signal(int)

    def __init__(self, user, building_id: int | None, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Missing papers — {what}").format(what=title))
        lines = documents.missing_by_building(user, building_id)
        model = RowsModel([
            (self.tr("House"), lambda m: m.label, None),
            (self.tr("Owners"), lambda m: m.owner_names, None),
            (self.tr("Missing"), lambda m: "、".join(i18n.office(documents.ITEMS[i][1]) for i in m.missing), None),
        ], self)
        model.set_rows(lines)
        view = table_view(model)
        view.activated.connect(self._go)
        hint = QLabel(self.tr("Double-click a house (or press Enter) to open it."))
        view.resizeColumnsToContents()
        view.horizontalHeader().setStretchLastSection(True)
        summary = QLabel(self.tr("%n house(s) lack papers", "", len(lines)))
        self.title = title
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        printing = buttons.addButton(self.tr("Print this list…"), QDialogButtonBox.ButtonRole.ActionRole)
        printing.clicked.connect(self.print_list)
        box = QVBoxLayout(self)
        box.addWidget(summary)
        box.addWidget(view)
        box.addWidget(hint)
        box.addWidget(buttons)
        self.resize(900, 600)
        self.model = model

    def print_list(self) -> None:
        from ui.preview import preview_list

        preview_list(self, self.tr("Missing papers — {what}").format(what=self.title), self.model,
                     self.tr("%n house(s) lack papers", "", self.model.rowCount())).exec()

    def _go(self, index) -> None:
        line = self.model.row_object(index.row())
        if line is not None:
            self.open_house.emit(line.house_id)
            self.accept()


class ArchivePage(QWidget):
    open_record = Signal(str, int)  # a record of the open house's history, on its page

    def __init__(self, user, parent=None):
        super().__init__(parent)
        self.user = user
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText(self.tr(
            "Search: 3-2-1201, 3栋2单元1201, a name, zs (张三), or the last 4 digits of a phone — Enter"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.returnPressed.connect(self.run_search)
        self.search_box.textChanged.connect(lambda t: t or self.show_list())

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Building / unit"), self.tr("Houses")])
        self.tree.itemSelectionChanged.connect(self.tree_selected)
        self.tree.itemExpanded.connect(lambda _item: self.tree.resizeColumnToContents(0))
        self.tree.setMinimumWidth(150)

        self.houses = HouseTableModel(user, self)
        self.house_view = table_view(self.houses)
        self.house_view.setSortingEnabled(True)
        self.house_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        header = self.house_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, chars in enumerate((9, 4, 8, 6, 6)):
            header.resizeSection(column, self.house_view.fontMetrics().horizontalAdvance("0") * chars + 24)
        # walking the list with the arrow keys opens the house the highlight rests on, not
        # every house it passes (each opening is an audited look at an owner's archive)
        self.rest = QTimer(self)
        self.rest.setSingleShot(True)
        self.rest.setInterval(300)
        self.rest.timeout.connect(self._open_resting)
        self._resting: int | None = None
        self.house_view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._rest_on(self.houses.house_id(cur.row()) if cur.isValid() else None))
        self.house_view.activated.connect(lambda ix: self.open_house(self.houses.house_id(ix.row())))
        self.house_view.clicked.connect(lambda ix: self.open_house(self.houses.house_id(ix.row())))

        self.results = RowsModel([
            (self.tr("Found"), lambda h: {"house": self.tr("House"), "owner": self.tr("Owner"),
                                          "resident": self.tr("Resident")}[h.kind], None),
            (self.tr("House"), lambda h: h.label, None),
            (self.tr("Name"), lambda h: h.name, None),
            (self.tr("Phone"), lambda h: h.phone, None),
        ], self)
        self.result_view = table_view(self.results)
        self.result_view.activated.connect(self.result_chosen)
        # the highlighted result is the open one, by mouse or by the arrow keys
        self.result_view.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self._rest_on(self._hit_house(cur)))
        self.result_view.clicked.connect(self.result_chosen)
        self.result_label = QLabel()
        results_box = QWidget()
        rv = QVBoxLayout(results_box)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.result_label)
        rv.addWidget(self.result_view)

        self.middle = QStackedWidget()
        self.middle.addWidget(self.house_view)
        self.middle.addWidget(results_box)

        self.detail = HouseDetail(user)
        self.detail.changed.connect(self.after_change)
        self.detail.open_record.connect(self.open_record)

        self.split = QSplitter()
        self.split.addWidget(self.tree)
        self.split.addWidget(self.middle)
        self.split.addWidget(self.detail)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 3)
        self.split.setStretchFactor(2, 4)
        self.house_view.setMinimumWidth(260)
        self.detail.setMinimumWidth(400)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([170, 520, 620])

        tools = FlowLayout()
        tools.addWidget(self.search_box, 1)
        can_build = users.has(user, "estate.edit")
        for text, slot, allowed in ((self.tr("Add building…"), self.add_building, can_build),
                                    (self.tr("Add unit…"), self.add_unit, can_build),
                                    (self.tr("Add house…"), self.add_house, can_build),
                                    (self.tr("Missing papers…"), self.missing_papers, True),
                                    (self.tr("Print archive cards…"), self.print_cards, True)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            if not allowed:  # setVisible(True) on a button with no parent yet shows it as a window
                b.hide()
            tools.addWidget(b)
        box = QVBoxLayout(self)
        box.addLayout(tools)
        box.addWidget(self.split, 1)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search_box)
        escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        escape.activated.connect(self.clear_search)
        self.search_box.installEventFilter(self)  # ↓ walks into the results
        self.load_tree()
        self.search_box.setFocus()

    # --- tree and list ------------------------------------------------------------------

    def load_tree(self, keep: tuple | None = None) -> None:
        self.tree.clear()
        total = 0
        for b in estate.tree():
            count = sum(u.houses for u in b.units)
            total += count
            bi = QTreeWidgetItem([b.name, str(count)])
            bi.setData(0, Qt.ItemDataRole.UserRole, ("building", b.id, b.name))
            for u in b.units:
                ui = QTreeWidgetItem([u.name, str(u.houses)])
                ui.setData(0, Qt.ItemDataRole.UserRole, ("unit", u.id, f"{b.name}{u.name}"))
                bi.addChild(ui)
            self.tree.addTopLevelItem(bi)
        self.tree.resizeColumnToContents(0)
        if keep:
            for i in range(self.tree.topLevelItemCount()):
                item = self.tree.topLevelItem(i)
                for it in [item] + [item.child(j) for j in range(item.childCount())]:
                    if it.data(0, Qt.ItemDataRole.UserRole)[:2] == keep[:2]:
                        it.setExpanded(True)
                        item.setExpanded(True)
                        self.tree.setCurrentItem(it)

    def reload_after_import(self) -> None:
        """Houses and owners imported from Excel: the tree and the list read again."""
        self.load_tree(self.selected_node())
        self.tree_selected()

    def selected_node(self):
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def tree_selected(self) -> None:
        node = self.selected_node()
        if node is None:
            self.houses.set_filter()
        elif node[0] == "building":
            self.houses.set_filter(building_id=node[1])
        else:
            self.houses.set_filter(unit_id=node[1])
        self.show_list()

    def show_list(self) -> None:
        self.middle.setCurrentIndex(0)

    def _rest_on(self, house_id: int | None) -> None:
        self._resting = house_id
        if house_id is not None:
            self.rest.start()

    def _open_resting(self) -> None:
        if self._resting is not None:
            self.open_house(self._resting)

    def _hit_house(self, index) -> int | None:
        hit = self.results.row_object(index.row()) if index.isValid() else None
        return hit.house_id if hit is not None else None

    def open_movein(self, case_id: int, exec_dialog: bool = True):
        """A move-in from 今日: its house opened, the move-in where it stopped."""
        from models import movein

        done = act(self, self.tr("Move-in"), movein.get, self.user, case_id)
        if not done:
            return None
        self.open_house(done.value.house_id)
        return self.detail.move_in(exec_dialog)

    def open_house(self, house_id: int | None) -> None:
        self.rest.stop()
        if house_id is not None:
            self.detail.open_house(house_id)

    def after_change(self) -> None:
        keep = self.selected_node()
        current = self.detail.archive.house.id if self.detail.archive else None
        self.load_tree(keep)
        self.houses.reload()
        if current is not None:
            row = self.houses.row_of(current)
            if row is not None:
                self.house_view.selectionModel().blockSignals(True)
                self.house_view.selectionModel().setCurrentIndex(
                    self.houses.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.house_view.selectionModel().blockSignals(False)

    # --- search ---------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def clear_search(self) -> None:
        self.search_box.clear()
        self.show_list()

    def run_search(self) -> None:
        text = self.search_box.text().strip()
        if not text:
            self.show_list()
            return
        hits = search.search(self.user, text)
        self.results.set_rows(hits)
        self.result_view.resizeColumnsToContents()
        self.result_label.setText(self.tr("{n} found for “{text}”").format(n=len(hits), text=text)
                                  if hits else self.tr("Nothing found for “{text}”").format(text=text))
        self.middle.setCurrentIndex(1)
        self.search_box.selectAll()  # the next owner at the counter: just type over it
        if hits:
            self.result_view.selectRow(0)
            self.open_house(hits[0].house_id)  # the first result is the open one

    def eventFilter(self, watched, event):  # noqa: N802
        if (watched is self.search_box and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Down):
            self.into_results()
            return True
        return super().eventFilter(watched, event)

    def into_results(self) -> None:
        """↓ from the search box walks into what it found (or the house list)."""
        view = self.result_view if self.middle.currentIndex() == 1 else self.house_view
        view.setFocus()
        if view.model().rowCount() and not view.currentIndex().isValid():
            view.selectRow(0)

    def result_chosen(self, index) -> None:
        self.open_house(self._hit_house(index))

    # --- structure --------------------------------------------------------------------------

    def _run(self, dialog) -> bool:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.after_change()
            return True
        return False

    def _select_node(self, kind: str, node_id: int) -> None:
        """Put the tree on what was just added, so the next step (a unit, a house) needs no click."""
        self.load_tree((kind, node_id))
        self.tree_selected()

    def add_building(self) -> None:
        dialog = BuildingDialog(self.user, self)
        if self._run(dialog):
            self._select_node("building", dialog.result_object.id)

    def add_unit(self) -> None:
        node = self.selected_node()
        if node is None:
            QMessageBox.information(self, self.tr("Add unit"), self.tr("Choose a building in the tree first"))
            return
        building = estate.building_of(node[0], node[1])
        dialog = UnitDialog(self.user, building.id, building.name, self)
        if self._run(dialog):
            self._select_node("unit", dialog.result_object.id)

    def add_house(self) -> None:
        node = self.selected_node()
        if node is None or node[0] != "unit":
            QMessageBox.information(self, self.tr("Add house"), self.tr("Choose a unit in the tree first"))
            return
        dialog = HouseDialog(self.user, unit_id=node[1], parent=self)
        if self._run(dialog) and dialog.result_object is not None:
            self.open_house(dialog.result_object.id)

    def missing_papers(self) -> None:
        node = self.selected_node()
        building_id, title = None, self.tr("whole estate")
        if node is not None:
            building = estate.building_of(node[0], node[1])
            building_id, title = building.id, building.name
        dialog = MissingPapersDialog(self.user, building_id, title, self)
        dialog.open_house.connect(self.open_house)
        dialog.exec()

    def print_cards(self) -> None:
        """The archive cards of every house of the building or unit chosen in the tree (or
        of the estate): one PDF, made off the UI thread, previewed, printed as one job."""
        import tempfile

        from printing import batch, card
        from printing.furniture import Letterhead
        from ui.preview import PreviewDialog
        from ui.tasks import run_with_progress

        node = self.selected_node()
        if node is None:
            ids, where = estate.house_ids(self.user), self.tr("whole estate")
        elif node[0] == "building":
            ids, where = estate.house_ids(self.user, building_id=node[1]), node[2]
        else:
            ids, where = estate.house_ids(self.user, unit_id=node[1]), node[2]
        if not ids:
            QMessageBox.information(self, self.tr("Print archive cards"), self.tr("There are no houses here."))
            return
        if QMessageBox.question(self, self.tr("Print archive cards"), self.tr(
                "Make the archive cards of the {n} houses of {where}? Each card shows the house's owners, "
                "residents and papers, with ID numbers and phones masked.").format(n=len(ids), where=where)) \
                != QMessageBox.StandardButton.Yes:
            return
        head = Letterhead.from_profile(estate.profile())
        folder = tempfile.TemporaryDirectory(prefix="estatedesk-")
        path = f"{folder.name}/cards.pdf"
        user, detail = self.user, self.detail

        def render(chunk, tick):
            archives = owners.archives_for_cards(user, list(chunk))
            return card.render_many([detail.card_data(a) for a in archives], head, tick=tick, title=where)

        def work(report, _cancelled):
            return batch.write(path, ids, render, per_volume=100, title=where, report=report)

        try:
            pages = run_with_progress(self, self.tr("Making the archive cards…"), len(ids), work)
            if pages is None:
                return  # cancelled: the partial file is gone, nothing recorded

            def handed_out(how: str) -> None:
                self.detail._call(owners.cards_handed_out, self.user, where, len(ids), how, refresh=False)

            title = self.tr("Archive cards — {where}").format(where=where)
            PreviewDialog(None, title, self, file_name=f"{title}.pdf", path=path, handed_out=handed_out).exec()
        except OfficeError as e:
            refusal(self, self.tr("Print archive cards"), e)
        finally:
            folder.cleanup()
