"""A new office's first steps (开始使用): what the administrator sets up before the desk can
work — the estate profile printed on every paper, the buildings (by hand or from the
developer's Excel list), the other users, the fee items' prices and the receipt numbering.
Each step is ticked off by the data itself, never by a box someone must remember to tick,
so the list is right after a restore or an import as well."""
from __future__ import annotations

from dataclasses import dataclass

from models import users
from models.errors import QT_TRANSLATE_NOOP, ValidationError

STEPS = {  # key: (what to do, how)
    "profile": (QT_TRANSLATE_NOOP("Office", "Fill in the estate profile"),
                QT_TRANSLATE_NOOP("Office", "The estate's name and the office's name and phone, printed on every "
                                            "receipt and notice")),
    "buildings": (QT_TRANSLATE_NOOP("Office", "Add the buildings and houses"),
                  QT_TRANSLATE_NOOP("Office", "One by one in the archive, or all at once from the developer's "
                                              "Excel list")),
    "users": (QT_TRANSLATE_NOOP("Office", "Add the office's users"),
              QT_TRANSLATE_NOOP("Office", "A user for each clerk, cashier and supervisor, with their roles")),
    "fees": (QT_TRANSLATE_NOOP("Office", "Set the fee items' prices"),
             QT_TRANSLATE_NOOP("Office", "The service fee per m², water, parking … as the service contract says")),
    "receipts": (QT_TRANSLATE_NOOP("Office", "Set up the receipt numbers"),
                 QT_TRANSLATE_NOOP("Office", "A supervisor matches the next number to the first form of the "
                                             "receipt book")),
}


@dataclass(frozen=True)
class Step:
    key: str  # a key of STEPS
    title: str  # untranslated, context "Office"
    hint: str
    done: bool


def first_administrator(username: str, full_name: str, password: str) -> users.User:
    """The first start of a new office database: its administrator, named (the name shows
    on the audit log and on what they sign), with a password."""
    if not full_name.strip():
        errors: dict = {}
        try:
            users._check_new(username, password, [users.ADMIN])  # every refusal at once
        except ValidationError as e:
            errors.update(e.fields)
        errors["full_name"] = (QT_TRANSLATE_NOOP("Office", "Enter the administrator's full name"), {})
        raise ValidationError({k: errors[k] for k in ("username", "full_name", "password") if k in errors})
    return users.create_first_admin(username, password, full_name)


def shown_to(user) -> bool:
    """The first steps are the administrator's to do."""
    return users.has(user, "users.manage")


def steps() -> list[Step]:
    """The first steps in the order they are best done, each done or not by what the
    office's data shows."""
    from models import cashier, estate, fees

    prof = estate.profile()
    done = {
        "profile": all(str(getattr(prof, key)).strip() for key in ("name", "office_name", "office_phone")),
        "buildings": estate.Building.select().exists(),
        "users": users.User.select().where(users.User.active == True,  # noqa: E712
                                           users.User.roles != users.ADMIN).exists(),
        "fees": fees.FeeItem.select().where(fees.FeeItem.active == True,  # noqa: E712
                                            (fees.FeeItem.unit_price > 0) | (fees.FeeItem.tiers != "")).exists(),
        # numbered by a supervisor to match the book, or in use already (numbered from 1)
        "receipts": (cashier.NumberRange.select().where(cashier.NumberRange.set_by.is_null(False)).exists()
                     or cashier.Receipt.select().exists()),
    }
    return [Step(key, title, hint, done[key]) for key, (title, hint) in STEPS.items()]


def all_done() -> bool:
    return all(step.done for step in steps())
