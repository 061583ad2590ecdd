"""What each paper says, assembled from the core's records without Qt: the key and item
loan slips, the work order, the receipt with its cash note and reprint count. The window
previews and prints the bytes these make; `main.py print …` makes the same for scripts.
Papers are Chinese in any UI language."""
from __future__ import annotations

from dataclasses import replace

from models import cashier, money, repairs, settings, users, validation
from printing import receipt as paper_receipt
from printing.furniture import Letterhead
from printing.slip import LOAN_SIGNATURES, LOAN_TERMS, WORK_ORDER_SIGNATURES, SlipData, rows_of
from printing.words import zh

def key_slip(loan):
    """The key loan slip (钥匙借用登记单) the borrower signs."""
    key = loan.key
    rows = [("钥匙", f"{key.tag}  {key.name}"), ("借用人", f"{loan.borrower}（{BORROWER_ZH.get(loan.borrower_kind, '')}）"),
            ("联系电话", validation.mask_phone(loan.phone) if loan.phone else ""),
            ("借用时间", loan.lent_at.strftime("%Y-%m-%d %H:%M")), ("应还时间", loan.due_at.strftime("%Y-%m-%d %H:%M"))]
    consent = ""
    if key.kind == "house" and loan.borrower_kind != "owner" or loan.borrower_kind == "delegate":
        rows.append(("身份证号", validation.mask_id(loan.id_number)))
        if loan.authorisation_id and not loan.confirmed_how:
            consent = f"常年委托（{loan.authorisation.added_at:%Y-%m-%d} 登记）"
            rows.append(("业主委托", consent))
        else:
            letter = "已收" if loan.letter_received else "未收"
            confirmed = (f"{CONFIRMED_ZH.get(loan.confirmed_how, '')} "
                         f"{loan.confirmed_at.strftime('%Y-%m-%d %H:%M') if loan.confirmed_at else ''}")
            rows += [("业主委托书", letter), ("业主确认", confirmed)]
            consent = f"委托书{letter}；确认：{confirmed.strip()}"
    if loan.approved_by:
        rows.append(("批准人", loan.approved_by))
    if loan.purpose:
        rows.append(("用途", loan.purpose))
    facts = dict(rows)
    clerk = clerk_name(loan.lent_by_id)
    values = {"key": facts["钥匙"], "borrower": facts["借用人"], "phone": facts["联系电话"], "lent_at": facts["借用时间"],
              "due_at": facts["应还时间"], "id_number": facts.get("身份证号", ""), "consent": consent,
              "approved_by": loan.approved_by or "", "purpose": loan.purpose or "", "clerk": clerk}
    return SlipData("钥匙借用登记单", f"K{loan.id:06d}", rows, LOAN_TERMS["key-slip"], list(LOAN_SIGNATURES),
                    signed={"经办人": clerk}, document="key-slip", values=values)


def clerk_name(user_id) -> str:
    """The clerk who lent (or took back), as the slip names her: her full name, else her user name."""
    return users.display_name_of(user_id)


# printed papers are Chinese in any UI language
BORROWER_ZH = {"owner": "业主", "resident": "住户", "delegate": "受托人", "staff": "员工", "contractor": "施工方"}
CONFIRMED_ZH = {"phone": "电话", "in_person": "当面", "message": "短信/微信"}


def item_slip(loan):
    """物品借用单: the item, the borrower, the condition at lending and at return, signed."""
    values = {"item": f"{loan.item.tag}  {loan.item.name}",
              "borrower": loan.borrower + (f"（{loan.house.label}）" if loan.house_id else ""),
              "phone": validation.mask_phone(loan.phone) if loan.phone else "",
              "lent_at": loan.lent_at.strftime("%Y-%m-%d %H:%M"), "due_at": loan.due_at.strftime("%Y-%m-%d %H:%M"),
              "condition_out": loan.condition_out, "returned_at": "", "condition_back": "",
              "clerk": clerk_name(loan.closed_by_id if loan.closed_at else loan.lent_by_id)}
    if loan.closed_at:
        values["returned_at"] = loan.closed_at.strftime("%Y-%m-%d %H:%M")
        values["condition_back"] = ("（遗失）" if loan.state == "lost" else "") + loan.condition_back
    rows = rows_of("item-slip", values)
    if loan.closed_at and not values["condition_back"]:  # returned: both facts of the return, always
        rows.append(("归还时状况", ""))
    signature = loan.signature_back if loan.closed_at else loan.signature_out
    return SlipData("物品借用单", f"W{loan.id:06d}", rows, LOAN_TERMS["item-slip"],
                    list(LOAN_SIGNATURES) if not loan.closed_at else ["归还人签字", "经办人"],
                    bytes(signature) if signature else None, signed={"经办人": values["clerk"]},
                    document="item-slip", values=values)


def work_order(repair):
    """维修派工单: the job, the time promised, and the lines the owner signs."""
    where = repair.house.label if repair.house_id else ""
    if repair.place:
        where = f"{where} {repair.place}".strip()
    values = {"place": where, "reporter": repair.reporter, "phone": repair.phone,
              "reported_at": repair.reported_at.strftime("%Y-%m-%d %H:%M"), "what": repair.what,
              "category": zh(repairs.CATEGORIES[repair.category]), "urgency": zh(repairs.URGENCY[repair.urgency]),
              "technician": repair.technician.name if repair.technician_id else "",
              "appointment": repair.appointment_at.strftime("%Y-%m-%d %H:%M") if repair.appointment_at else "",
              "reworks": f"第 {repair.reworks} 次" if repair.reworks else ""}
    # the built-in layout's rows: every fact, the rework only when there is one
    return SlipData("维修派工单", repair.number_text, rows_of("work-order", values),
                    "完工后请业主核对维修结果并评价：□满意  □基本满意  □不满意。所用材料及有偿费用按物业服务中心价目表收取。",
                    list(WORK_ORDER_SIGNATURES), document="work-order", values=values)


def receipt_data(r: cashier.Receipt) -> paper_receipt.ReceiptData:
    """A posted receipt's lines from the books, 实收/找零 noted when cash was handed over
    beyond the total, marked 作废 or with its reprint count as it stands."""
    lines = [paper_receipt.ReceiptLine(line.item, line.amount, line.period, line.quantity, line.unit_price)
             for line in cashier.receipt_lines(r)]
    note = r.note
    if r.kind == "payment" and r.method == "cash" and r.tendered > r.total:
        note = (note + " " if note else "") + f"实收 {money.fmt(r.tendered)} 找零 {money.fmt(r.change)}"
    return paper_receipt.ReceiptData(
        number=r.number_text, date=r.business_date, house=r.house.label, payer=r.payer, lines=lines,
        method=cashier.METHOD_WORDS.get(r.method, r.method), cashier=r.cashier.display_name, void=r.void,
        reprints=r.reprints, note=note, form_numbers=_form_numbers(r), void_date=r.void_date,
        void_reason=r.void_reason)


def _form_numbers(r: cashier.Receipt) -> tuple[str, ...]:
    """The printed numbers of the forms a long receipt went on, in the order it prints
    (empty when it took one form)."""
    more = cashier.continuation_forms(r.id)
    return (r.number_text, *more) if more else ()


def _receipt_texts(r: cashier.Receipt) -> paper_receipt.ReceiptTexts:
    texts = paper_receipt.ReceiptTexts.from_settings(settings.all_values())
    if r.kind == "refund":  # money paid back: a refund document, not a receipt
        texts = replace(texts, title="退  款  单")
    return texts


def receipt_pdf(r: cashier.Receipt, letterhead: Letterhead, *, paper: str, carbonless: bool,
                reprint: bool = False, template=None, plain: bool = True) -> bytes:
    """The receipt as it stands, in the office's wording; `reprint`: as it will print again,
    marked 补打 with the next count. A refund prints as a refund document (退款单).
    `template`: the office's for its stock (models.templates), else the built-in layout on
    `paper`; `plain` False: the values alone, for pre-printed stock (套打)."""
    data = receipt_data(r)
    if reprint:
        # the new forms' numbers are taken once it has printed: the reprint names the receipt's
        data = replace(data, reprints=r.reprints + 1, form_numbers=())
    return paper_receipt.render(data, letterhead, paper=paper, carbonless=carbonless, texts=_receipt_texts(r),
                                template=template, plain=plain)


def receipt_check(r: cashier.Receipt, template, *, paper: str, carbonless: bool, plain: bool = True) -> None:
    """printing.template.Unfit when the receipt cannot print on the office's form (`template`,
    else the built-in layout on `paper`): asked by the counter before the payment is kept
    (cashier.take_payment's `printable`)."""
    texts = _receipt_texts(r)
    paper_receipt.check(receipt_data(r), template or paper_receipt.default_template(paper, texts),
                        carbonless=carbonless, texts=texts, plain=plain)


def notices_file(user, kind: str, house_ids: list[int], path, letterhead: Letterhead, *, title: str = "",
                 report=None, per_volume: int = 200, paper: str = "A4", template=None,
                 plain: bool = True) -> tuple[int, list]:
    """The payment notices (kind "notice") or dunning letters ("dunning") of `house_ids`, one
    house a page or more, written to `path` in volumes of `per_volume` houses (a bounded
    memory, STYLE.md); `report(done)` after each house. Returns (pages, the notices made):
    a house that owes nothing now gets none. Nothing is recorded as sent here. `template`:
    the office's form for them (models.templates), `plain` False its values alone (套打);
    a notice the form cannot hold is refused (Unfit, naming the field and so the house)."""
    from models import dunning
    from printing import batch, dunning as layout

    made: list = []

    def render(chunk, tick):
        notes = dunning.notices(user, kind, list(chunk))
        made.extend(notes)
        for _ in range(len(chunk) - len(notes)):
            tick()  # a house that paid meanwhile: nothing to print
        if template is not None:
            return layout.render_forms(notes, letterhead, template, plain=plain, tick=tick)
        return (layout.render_many(notes, letterhead, paper=paper, tick=tick) if notes
                else layout.render_many([], letterhead, paper=paper))

    pages = batch.write(path, house_ids, render, per_volume=per_volume, title=title, report=report)
    return pages, made


KINDS = ("receipt", "work-order", "key-slip", "item-slip", "announcement", "notices", "dunning")


def make(user, kind: str, which: str, *, paper: str | None = None, carbonless: bool = False) -> tuple[bytes, int]:
    """A paper by its number, as the window prints it, for a script (`main.py print`): the
    receipt 2026-000001, the work order R2026-000045, the key loan K000012, the item loan
    W000003, announcement 7; the notices or dunning letters of a building ("3") or, with no
    `which`, of every house owing. Each is checked against `user`'s permissions by the core.
    A receipt prints again as the window's 补打 does (marked, counted, audited; who may
    reprint it is the core's rule); the notices need who may send them (dunning.log).
    Returns the PDF and its page count."""
    import io
    import re
    import tempfile
    from pathlib import Path

    from pypdf import PdfReader

    from models import announcements, arrears, dunning, estate, keys, lending
    from models.errors import NotFound, QT_TRANSLATE_NOOP
    from printing import announcement, slip

    head = Letterhead.from_profile(estate.profile())

    def number(prefix: str) -> int:
        m = re.fullmatch(rf"(?i)(?:{prefix})?0*(\d+)" if prefix else r"0*(\d+)", which.strip())
        if not m:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "No such number: {text}"), text=which.strip())
        return int(m.group(1))

    if kind == "receipt":  # printed again, as the window's 补打: marked, counted and audited
        r = cashier.receipt_numbered(user, which)
        users.require_any(user, "cash.take", "cash.desk")  # refused before anything is made
        pdf = receipt_pdf(r, head, paper=paper or "CONT_THIRD", carbonless=carbonless, reprint=True)
        cashier.reprint(user, r.id)  # who may reprint which receipt: the core's rule
    elif kind == "work-order":
        pdf = slip.render(work_order(repairs.numbered(user, which)), head, paper=paper or "A5")
    elif kind == "key-slip":
        pdf = slip.render(key_slip(keys.get_loan(user, number("K"))), head, paper=paper or "A5")
    elif kind == "item-slip":
        pdf = slip.render(item_slip(lending.get_loan(user, number("W"))), head, paper=paper or "A5")
    elif kind == "announcement":
        a = announcements.get(user, number(""))
        pdf = announcement.render(announcements.wording(a, head.office_name), head, paper=paper or "A4")
    elif kind in ("notices", "dunning"):
        users.require(user, "dunning.log")  # as the window: who sends notices
        building = None
        if which.strip():
            building = estate.find_building(which)
            if building is None:
                raise NotFound(QT_TRANSLATE_NOOP("Office", "No such building: {text}"), text=which.strip())
        where = building.id if building else None
        if kind == "notices":
            owing = arrears.owing_ids(user, building_id=where)
        else:  # the houses the office's rule sends a dunning notice (months owed; a promise waited for)
            owing, _promised = dunning.dunning_batch(user, where)
        if not owing:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "No house here needs one"))
        with tempfile.TemporaryDirectory(prefix="estatedesk-") as folder:
            path = Path(folder) / "notices.pdf"
            title = ("缴费通知单" if kind == "notices" else "催缴通知书") + (f" {building.name}" if building else "")
            pages, made = notices_file(user, "notice" if kind == "notices" else "dunning", owing, path, head,
                                       title=title, paper=paper or "A4")
            if not made:  # those that owed have paid meanwhile
                raise NotFound(QT_TRANSLATE_NOOP("Office", "No house here needs one"))
            pdf = path.read_bytes()
    else:
        raise ValueError(kind)
    return pdf, len(PdfReader(io.BytesIO(pdf)).pages) if pdf else 0


def renovation_case(case):
    """What a renovation's papers say of it (printing.renovation.Case), from its records."""
    from models import renovation
    from printing.renovation import Case

    approvals = []
    if case.desk_at:
        approvals.append(("客服中心意见", f"同意  {clerk_name(case.desk_by_id)}  {case.desk_at:%Y-%m-%d}"))
    if case.engineering_at:
        note = f"{case.engineering_note}  " if case.engineering_note else ""
        approvals.append(("工程部意见", f"{note or '同意  '}{case.engineering_name}  {case.engineering_at:%Y-%m-%d}"))
    if case.supervisor_at:
        approvals.append(("主管审批", f"同意  {clerk_name(case.supervisor_by_id)}  {case.supervisor_at:%Y-%m-%d}"))
    if case.state == "refused":
        approvals.append(("审批结果", f"不予批准：{case.refused_reason}"))
    deposit, debris = (case.deposit, case.debris_fee) if case.receipt_id else renovation.amounts()
    people = tuple((w.pass_number(case), w.name, validation.mask_id(w.id_number), w.trade)
                   for w in renovation.workers(case))
    return Case(case.number_text, case.house.label, case.applicant, validation.mask_phone(case.phone) if case.phone else "",
                case.contractor, case.licence, case.contractor_phone, case.scope, tuple(case.risk_list),
                case.planned_start.isoformat(), case.planned_end.isoformat(), renovation.permitted_hours(), deposit,
                debris, people, tuple(approvals), f"{case.permit_at:%Y-%m-%d}" if case.permit_at else "")


def rectification_notice(row) -> SlipData:
    """整改通知单 of a rectification (models.renovation.Rectification)."""
    from printing.renovation import rectification

    case = row.renovation
    found = row.inspection.findings if row.inspection_id else ""
    return rectification(row.number_text, case.house.label, case.number_text, case.contractor, found, row.what,
                         row.deadline.isoformat(), f"{row.issued_at:%Y-%m-%d %H:%M}", clerk_name(row.issued_by_id))


def movein_paper(case):
    """What a move-in's papers say of it (printing.movein.MoveInPaper), from its records."""
    from models import estate, movein, settings
    from printing.movein import MoveInPaper

    profile = estate.profile()
    return MoveInPaper(f"RZ{case.id:06d}", case.house.label, case.owner_name, estate.fmt_area(case.house.area),
                       case.planned.isoformat(), tuple(movein.papers(case)),
                       tuple((d.place, d.what, d.repair.number_text if d.repair_id else "")
                             for d in movein.defects(case)),
                       case.keys_count, case.keys_which, case.handover_date.isoformat() if case.handover_date else "",
                       movein.monthly_fees(case.house), settings.office.movein_prepaid_months,
                       profile.office_phone, profile.office_hours,
                       clerk_name(case.started_by_id))
