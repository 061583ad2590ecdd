"""Office settings (办公室设置): the numbers an office tunes to its service contract,
stored in the database so every PC of the office uses the same ones.

Each setting is declared once below, with its type and DOMAIN.md's default. Per-PC
settings (printer, offsets, language, window geometry) are not here: they are declared
in ui/prefs.py and kept in QSettings.
"""
from __future__ import annotations

import datetime

import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

import peewee as pw

from models import audit, users
from models.db import BaseModel, atomic
from models.errors import QT_TRANSLATE_NOOP, ValidationError


class OfficeSetting(BaseModel):
    key = pw.CharField(max_length=64, primary_key=True)
    value = pw.TextField()

    class Meta:
        table_name = "office_setting"


@dataclass(frozen=True)
class Setting:
    """One office setting, declared once: its type, default, label and what it accepts."""
    key: str
    kind: type  # int, str, bool, Fraction, list
    default: Any
    label: str  # an English label, translated by the UI (context "Office")
    minimum: int | None = None
    maximum: int | None = None  # an int's most (default: far past any contract's days or hours)
    money: bool = False  # an amount, kept in fen, typed and shown in yuan
    percent: bool = False  # a percentage: at most 100
    placeholders: tuple[str, ...] = ()  # a wording: the {names} it may use
    placeholder_error: str = ""  # … and the message when it uses another
    chips: bool = True  # the settings page offers the placeholders to insert
    required: str = ""  # a text that may not be empty: the message when it is
    check: Callable[[Any], Any] | None = None  # more rules: the value as kept, or ValidationError


_NOTICE = ("reason", "buildings", "start", "end", "what_to_do", "phone")
_NOTICE_ERROR = QT_TRANSLATE_NOOP("Office", "Use only {{reason}} {{buildings}} {{start}} {{end}} {{what_to_do}} "
                                            "{{phone}} in braces")
_DUNNING = ("house", "owner", "date", "total", "late_fee", "months", "due_day", "rate", "deadline", "phone")
_DUNNING_ERROR = QT_TRANSLATE_NOOP("Office", "Use only {{house}} {{owner}} {{date}} {{total}} {{late_fee}} "
                                             "{{months}} {{due_day}} {{rate}} {{deadline}} {{phone}} in braces")
_RECEIPT = ("cashier",)
_RECEIPT_ERROR = QT_TRANSLATE_NOOP("Office", "Use only {{cashier}} in braces")


def _money(key: str, default: int, label: str) -> Setting:
    return Setting(key, int, default, label, 0, money=True)


def _notice(key: str, default: str, label: str) -> Setting:
    return Setting(key, str, default, label, placeholders=_NOTICE, placeholder_error=_NOTICE_ERROR)


def _dunning(key: str, default: str, label: str) -> Setting:
    return Setting(key, str, default, label, placeholders=_DUNNING, placeholder_error=_DUNNING_ERROR,
                   required=QT_TRANSLATE_NOOP("Office", "The notice needs its wording"))


def _receipt(key: str, default: str, label: str, **more) -> Setting:
    return Setting(key, str, default, label, placeholders=_RECEIPT, placeholder_error=_RECEIPT_ERROR, **more)


def _timezone(value: str) -> str:
    from zoneinfo import ZoneInfo

    ZoneInfo(value)  # an unknown zone: "This value is not valid here"
    return value


def _holidays(value: list) -> list:
    try:
        return sorted({datetime.date.fromisoformat(v).isoformat() for v in value})
    except ValueError:
        raise ValidationError({"holidays": (QT_TRANSLATE_NOOP(
            "Office", "Write each holiday as a date: 2026-10-01"), {})}) from None


def _due_day(value: int) -> int:
    if value > 28:
        raise ValidationError({"due_day": (QT_TRANSLATE_NOOP("Office", "The due day must be between 1 and 28"), {})})
    return value


SETTINGS: dict[str, Setting] = {s.key: s for s in [
    Setting("timezone", str, "Asia/Shanghai", QT_TRANSLATE_NOOP("Office", "Time zone"), check=_timezone),
    Setting("parcel_free_hours", int, 24, QT_TRANSLATE_NOOP("Office", "Parcels: free storage (hours)"), 0),
    _money("parcel_first_fee_fen", 200, QT_TRANSLATE_NOOP("Office", "Parcels: fee past the free time (yuan)")),
    Setting("parcel_step_hours", int, 12, QT_TRANSLATE_NOOP("Office", "Parcels: each further step (hours)"), 1),
    _money("parcel_step_fee_fen", 100, QT_TRANSLATE_NOOP("Office", "Parcels: fee per further step (yuan)")),
    _money("parcel_cap_fen", 1000, QT_TRANSLATE_NOOP("Office", "Parcels: fee cap (yuan)")),
    # DOMAIN.md, Decisions: the seeds give no amounts for the renovation's money
    _money("renovation_deposit_fen", 200_000, QT_TRANSLATE_NOOP("Office", "Renovation: deposit (yuan)")),
    _money("debris_fee_fen", 30_000, QT_TRANSLATE_NOOP("Office", "Renovation: debris removal fee (yuan)")),
    Setting("renovation_test_hours", int, 48, QT_TRANSLATE_NOOP("Office", "Renovation: waterproofing test lasts (hours)"), 1,
            168),
    Setting("renovation_debris_hour", int, 17, QT_TRANSLATE_NOOP(
        "Office", "Renovation: debris checked taken away each day by (hour)"), 9, 23),
    Setting("renovation_from_hour", int, 8, QT_TRANSLATE_NOOP("Office", "Renovation: works allowed from (hour)"), 0, 23),
    Setting("renovation_to_hour", int, 20, QT_TRANSLATE_NOOP("Office", "Renovation: works allowed until (hour)"), 1, 24),
    Setting("movein_fee_items", list, ["service", "waste"], QT_TRANSLATE_NOOP(
        "Office", "Move-in: monthly fees that start at the handover")),
    Setting("movein_prepaid_months", int, 3, QT_TRANSLATE_NOOP("Office", "Move-in: months of fees taken ahead"), 0, 24),
    # the desk's registers (issue 21)
    Setting("shift_cash", bool, True, QT_TRANSLATE_NOOP("Office", "Shift handover: the cash box is counted and handed over")),
    Setting("message_reply_hours", int, 4, QT_TRANSLATE_NOOP(
        "Office", "Messages: answered within (hours) when no time is asked"), 1, 72),
    Setting("visitor_day_end_hour", int, 22, QT_TRANSLATE_NOOP(
        "Office", "Visitors: still inside after (hour) are listed on Today"), 12, 24),
    Setting("patrol_by_hour", int, 12, QT_TRANSLATE_NOOP("Office", "Patrol: the day's patrol done by (hour)"), 6, 24),
    Setting("target_facilities_intact_percent", int, 98,
            QT_TRANSLATE_NOOP("Office", "Targets: facilities intact at least (%)"), 0, percent=True),
    Setting("card_limit", int, 4, QT_TRANSLATE_NOOP("Office", "Access cards: at most per house"), 1, 20),
    _money("card_fee_fen", 2000, QT_TRANSLATE_NOOP("Office", "Access cards: fee for a new or replaced card")),
    _money("card_deposit_fen", 0, QT_TRANSLATE_NOOP("Office", "Access cards: deposit for a card")),
    Setting("vacant_inspection_days", int, 7, QT_TRANSLATE_NOOP("Office", "Vacant houses: inspect every (days)"), 1),
    Setting("key_due_days", int, 1, QT_TRANSLATE_NOOP("Office", "Keys: due back within (days)"), 0),
    Setting("backup_remind_days", int, 7, QT_TRANSLATE_NOOP("Office", "Backups: remind when the last is older than (days)"),
            1),
    Setting("backup_keep_daily", int, 7, QT_TRANSLATE_NOOP(
        "Office", "Backups kept: one a day for the last (days; all three 0: keep every backup)"), 0),
    Setting("backup_keep_weekly", int, 4, QT_TRANSLATE_NOOP("Office", "Backups kept: one a week for the last (weeks)"),
            0),
    Setting("backup_keep_monthly", int, 12, QT_TRANSLATE_NOOP(
        "Office", "Backups kept: one a month for the last (months)"), 0),
    Setting("key_check_days", int, 30, QT_TRANSLATE_NOOP("Office", "Keys: count the cabinet every (days; 0: never remind)"),
            0),
    Setting("item_due_days", int, 1, QT_TRANSLATE_NOOP("Office", "Lent items: due back within (days)"), 0),
    Setting("due_day", int, 15, QT_TRANSLATE_NOOP("Office", "Bills: due day of the month"), 1, check=_due_day),
    Setting("late_fee_rate_per_day", Fraction, Fraction(1, 1000),
            QT_TRANSLATE_NOOP("Office", "Late fee rate per day")),
    Setting("late_fee_items", list, ["service"], QT_TRANSLATE_NOOP("Office", "Fee items that carry a late fee")),
    _money("late_fee_cap_fen", 0, QT_TRANSLATE_NOOP("Office", "Late fee cap (yuan, 0 = none)")),
    Setting("repair_dispatch_minutes", int, 10, QT_TRANSLATE_NOOP("Office", "Repairs: answer about dispatch within (minutes)"), 1),
    Setting("repair_visit_days", int, 2, QT_TRANSLATE_NOOP("Office", "Repairs: return visit within (days)"), 0),
    Setting("repair_visit_leak_days", int, 3, QT_TRANSLATE_NOOP("Office", "Repairs: leak return visit after the leak test (days)"), 0),
    Setting("complaint_first_answer_hours", int, 24, QT_TRANSLATE_NOOP("Office", "Complaints: first answer within (hours)"), 1),
    Setting("complaint_simple_answer_hours", int, 2, QT_TRANSLATE_NOOP("Office", "Complaints: simple ones answered within (hours)"), 1),
    Setting("complaint_major_answer_days", int, 2, QT_TRANSLATE_NOOP("Office", "Major complaints: clear answer within (days)"), 0),
    Setting("complaint_major_resolve_days", int, 10, QT_TRANSLATE_NOOP("Office", "Major complaints: resolved within (days)"), 0),
    Setting("complaint_important_escalate_hours", int, 1, QT_TRANSLATE_NOOP("Office", "Important complaints: to the department head within (hours)"), 0),
    Setting("complaint_important_done_days", int, 3, QT_TRANSLATE_NOOP("Office", "Important complaints: done within (days)"), 0),
    Setting("complaint_minor_days", int, 2, QT_TRANSLATE_NOOP("Office", "Minor complaints: done within (days)"), 0),
    Setting("working_days_only", bool, False, QT_TRANSLATE_NOOP("Office", "Count day limits in working days")),
    Setting("holidays", list, [], QT_TRANSLATE_NOOP("Office", "Holidays, not working days (2026-10-01, …)"),
            check=_holidays),
    # several PCs on one server share the scans through a shared folder (a network drive)
    Setting("scan_folder", str, "", QT_TRANSLATE_NOOP("Office", "Scans: shared folder (empty: beside the database)")),
    # the wording of printed notices: {reason} {buildings} {start} {end} {what_to_do} {phone}
    _notice("notice_greeting", "尊敬的各位业主、住户：", QT_TRANSLATE_NOOP("Office", "Notices: greeting")),
    _notice("notice_water", "因{reason}，定于{start}至{end}对{buildings}暂停供水。请各位业主、住户提前做好储水准备，"
            "停水期间请关闭家中水龙头，以免恢复供水时造成浪费或水浸。{what_to_do}",
            QT_TRANSLATE_NOOP("Office", "Notices: water cut wording")),
    _notice("notice_power", "因{reason}，定于{start}至{end}对{buildings}暂停供电。停电期间电梯、水泵将停止运行，"
            "请提前做好准备并关闭家中电器电源。{what_to_do}", QT_TRANSLATE_NOOP("Office", "Notices: power cut wording")),
    _notice("notice_construction", "因{reason}，定于{start}至{end}在{buildings}进行施工。施工期间可能产生噪音，"
            "请注意安全、绕行施工区域。{what_to_do}", QT_TRANSLATE_NOOP("Office", "Notices: construction wording")),
    _notice("notice_general", "{reason}{what_to_do}", QT_TRANSLATE_NOOP("Office", "Notices: announcement wording")),
    _notice("notice_closing", "如有疑问，请致电物业服务中心：{phone}。给您带来的不便，敬请谅解！",
            QT_TRANSLATE_NOOP("Office", "Notices: closing line")),
    # dunning (催缴): the wording of the payment notice (缴款通知) and the dunning notice
    # (催缴通知书): {house} {owner} {date} {total} {late_fee} {months} {due_day} {rate} {deadline} {phone}
    Setting("dunning_months", int, 3, QT_TRANSLATE_NOOP("Office", "Dunning notice: after months owed"), 1),
    # the targets the month's figures are measured against, on screen and on paper
    Setting("target_collection_percent", int, 96,
            QT_TRANSLATE_NOOP("Office", "Targets: fee collection rate at least (%)"), 0, percent=True),
    Setting("target_repairs_on_time_percent", int, 95,
            QT_TRANSLATE_NOOP("Office", "Targets: repairs on time at least (%)"), 0, percent=True),
    Setting("target_repeat_repairs", int, 0, QT_TRANSLATE_NOOP("Office", "Targets: repeat repairs at most"), 0),
    Setting("target_return_visits_percent", int, 100,
            QT_TRANSLATE_NOOP("Office", "Targets: return visits made at least (%)"), 0, percent=True),
    Setting("dunning_days_to_pay", int, 7, QT_TRANSLATE_NOOP("Office", "Dunning notice: days given to pay"), 1),
    _dunning("dunning_payment_text",
            "您好！截至{date}，贵户{house}尚有下列费用未缴，合计人民币{total}元（含违约金{late_fee}元）。"
            "物业服务费等费用应于每月{due_day}日前交纳，请您及时到物业服务中心缴费，"
            "可使用现金、微信、支付宝、银行卡或转账。如已缴纳，请忽略本通知。",
            QT_TRANSLATE_NOOP("Office", "Payment notice: wording")),
    _dunning("dunning_letter_text",
            "根据《物业服务合同》约定，物业服务费等费用应于每月{due_day}日前交纳，逾期未交的，"
            "按欠缴金额每日{rate}计收违约金。截至{date}，贵户{house}已欠缴{months}个月的费用，"
            "共计人民币{total}元（其中违约金{late_fee}元，计至当日）。经我中心多次提醒，至今仍未缴纳。"
            "请您于{deadline}前到物业服务中心缴清欠费，逾期我中心将依照合同约定继续计收违约金，"
            "并保留依法追缴的权利。如有疑问，请致电{phone}。",
            QT_TRANSLATE_NOOP("Office", "Dunning notice: wording")),
    # the texts of the receipt that vary by office (its layout is printing/receipt.py)
    _receipt("receipt_title", "收  据", QT_TRANSLATE_NOOP("Office", "Receipts: title"), chips=False,
             required=QT_TRANSLATE_NOOP("Office", "A receipt needs a title")),
    _receipt("receipt_signatures", "收款人：{cashier}　　　　交款人签字：　　　　　　复核：",
            QT_TRANSLATE_NOOP("Office", "Receipts: signature line")),
    _receipt("receipt_footer", "本收据加盖财务专用章后有效，请妥善保管。",
            QT_TRANSLATE_NOOP("Office", "Receipts: footer")),
    # signing in (models/users.login): a user who types too many wrong passwords in a row
    # waits, at every PC, until the minutes pass or an administrator unlocks them
    Setting("signin_attempts", int, 5, QT_TRANSLATE_NOOP(
        "Office", "Sign-in: wrong passwords in a row before the user is locked"), 1),
    Setting("signin_lock_minutes", int, 15, QT_TRANSLATE_NOOP("Office", "Sign-in: a locked user waits (minutes)"), 1),
    Setting("idle_lock_minutes", int, 10, QT_TRANSLATE_NOOP(
        "Office", "Lock the window after no use for (minutes; 0: never)"), 0),
]}


def _encode(setting: Setting, value) -> str:
    if setting.kind is Fraction:
        value = Fraction(value)
        return json.dumps(f"{value.numerator}/{value.denominator}")
    return json.dumps(value, ensure_ascii=False)


def _decode(setting: Setting, text: str):
    value = json.loads(text)
    if setting.kind is Fraction:
        return Fraction(value)
    return value


def get(key: str):
    setting = SETTINGS[key]
    row = OfficeSetting.get_or_none(OfficeSetting.key == key)
    return setting.default if row is None else _decode(setting, row.value)


class _Office:
    """The office's settings by name, each read as the database holds it now:
    `settings.office.parcel_free_hours`. A name that is no setting is an AttributeError."""
    __slots__ = ()


def _accessor(key: str) -> property:
    return property(lambda _self: get(key), doc=SETTINGS[key].label)


for _key in SETTINGS:
    setattr(_Office, _key, _accessor(_key))
office = _Office()


def all_values() -> dict[str, Any]:
    stored = {r.key: r.value for r in OfficeSetting.select()}
    return {k: (_decode(s, stored[k]) if k in stored else s.default) for k, s in SETTINGS.items()}


def _maximum(setting: Setting) -> int:
    """The most an int setting may be: money (kept in fen) what the amounts' columns and the
    capital amount hold; a percentage 100; a count of hours, days or minutes far past any
    contract's, so no date or time worked out from it overflows."""
    if setting.money:
        from models import money

        return money.MAX_FEN
    if setting.percent:
        return 100
    return setting.maximum if setting.maximum is not None else 1_000_000


def _check(setting: Setting, value):
    bad = (QT_TRANSLATE_NOOP("Office", "This value is not valid here"), {})
    try:
        if setting.kind is int:
            if isinstance(value, bool) or int(value) != value:
                raise ValueError
            if setting.money and not isinstance(value, int):  # money is an int of fen, never a float
                raise ValueError
            value = int(value)
            if setting.minimum is not None and value < setting.minimum:
                raise ValidationError({setting.key: (
                    QT_TRANSLATE_NOOP("Office", "Must be at least {minimum}"),
                    {"minimum": setting.minimum})})
            if setting.percent and value > 100:
                raise ValidationError({setting.key: (QT_TRANSLATE_NOOP("Office", "A percentage is at most 100"), {})})
            if value > _maximum(setting):
                raise ValidationError({setting.key: (
                    QT_TRANSLATE_NOOP("Office", "Must be at most {maximum}"),
                    {"maximum": _shown(setting.key, _maximum(setting))})})
        elif setting.kind is Fraction:
            value = Fraction(value)
            if value < 0 or value >= 1:
                raise ValueError
        elif setting.kind is bool:
            if not isinstance(value, bool):
                raise ValueError
        elif setting.kind is list:
            value = [str(v).strip() for v in value if str(v).strip()]
        elif setting.kind is str:
            value = str(value).strip()
            if setting.placeholders:
                try:  # the wording may use only the facts its paper fills in
                    value.format(**{name: "" for name in setting.placeholders})
                except (KeyError, IndexError, ValueError):
                    raise ValidationError({setting.key: (setting.placeholder_error, {})}) from None
            if setting.required and not value:
                raise ValidationError({setting.key: (setting.required, {})})
        if setting.check is not None:
            value = setting.check(value)
    except ValidationError:
        raise
    except Exception:
        raise ValidationError({setting.key: bad}) from None
    return value


def _shown(key: str, value) -> str:
    """A value as the audit log shows it: amounts (kept in fen) in yuan, as their labels say."""
    if SETTINGS[key].money:
        from models import money

        return money.fmt(value)
    return str(value)


def update(changes: dict[str, Any], *, user) -> None:
    """Change office settings; all or nothing, audited."""
    users.require(user, "settings.edit")
    checked = {}
    for key, value in changes.items():
        if key not in SETTINGS:
            raise KeyError(key)
        checked[key] = _check(SETTINGS[key], value)
    with atomic():
        before = all_values()
        for key, value in checked.items():
            text = _encode(SETTINGS[key], value)
            (OfficeSetting.insert(key=key, value=text)
             .on_conflict(conflict_target=[OfficeSetting.key], update={OfficeSetting.value: text})
             .execute())
        diff = {k: [_shown(k, before[k]), _shown(k, v)] for k, v in checked.items() if before[k] != v}
        if diff:
            audit.record(user, "settings.update", "settings", None,
                         ", ".join(sorted(diff)), diff)
