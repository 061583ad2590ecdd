"""The weekly round of the vacant houses at the service desk: 今日 lists the house due, its
line opens it on the vacant list, the inspection is recorded with a leak found and passed
on as a repair in one step, and the house is off today's list for the week."""
import datetime

from models import clock, estate, repairs, today, vacant

T0 = datetime.datetime(2026, 12, 3, 10, 0)


def test_a_vacant_house_due_is_inspected_from_today_and_its_leak_becomes_a_repair(admin, clerk, house, qtbot,
                                                                                  tmp_path, message_boxes):
    from ui.main_window import MainWindow

    estate.update_house(admin, house.id, state="vacant")
    with clock.frozen(T0):
        w = MainWindow(clerk)
        qtbot.addWidget(w)
        w.show()
        start = w.page("today")
        rows = [start.model.row_object(r) for r in range(start.model.rowCount())]
        [line] = [r for r in rows if r.what == "vacant"]
        assert line.number == "3-2-1201"
        w.open_record(line.table, line.record_id)  # as the line's double click does
        page = w.page_by_key["service"]
        tab = page.vacant
        assert page.tabs.currentWidget() is tab and tab.chosen().house_id == house.id
        assert tab.model.data(tab.model.index(0, 2)) == "Never" and "1 vacant, 1 due now." == tab.summary.text()

        d = tab.inspect(exec_dialog=False)
        d.checks["no_leaks"].setChecked(False)
        d._save()  # a check not passed, nothing said: refused by the field
        assert d.form.rows["findings"].error.text() and vacant.VacantInspection.select().count() == 0
        photo = tmp_path / "damp.jpg"
        photo.write_bytes(b"\xff\xd8\xff\xe0 damp")
        d.findings.setPlainText("卫生间天花板渗水")
        d.choose_photo(str(photo))
        d.raise_repair.setChecked(True)
        d._save()
        assert d.result()
        tab.load()
        tab.open_house(house.id)
    [repair] = repairs.Repair.select()
    assert repair.house_id == house.id and repair.what == "卫生间天花板渗水" and repair.channel == "patrol"
    assert tab.history_model.rowCount() == 1
    assert tab.history_model.data(tab.history_model.index(0, 4)) == repair.number_text
    assert tab.history_model.data(tab.history_model.index(0, 5)) == "damp.jpg"
    with clock.frozen(T0 + datetime.timedelta(hours=1)):
        assert not any(t.what == "vacant" for t in today.lines(clerk))  # done for the week
