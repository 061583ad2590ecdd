"""The refusals the office's rules raise, in words a clerk can act on.

The core is Qt-free, so a message is an English template marked for Qt's translator
(`QT_TRANSLATE_NOOP`, which lupdate recognises) plus its parameters; the UI translates
the template and fills it in. `str(error)` gives the English text for logs and the CLI.
"""

CONTEXT = "Office"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


class Label(str):
    """An English label passed as a message parameter; the UI translates it too."""


class OfficeError(Exception):
    """Something the office's rules refuse; nothing was written."""

    def __init__(self, template: str, **params):
        super().__init__(template)
        self.template = template
        self.params = params

    def __str__(self) -> str:
        return self.template.format(**self.params)


class ValidationError(OfficeError):
    """One or more fields hold values the office cannot accept.

    `fields` maps a field name to (template, params), so the form can show each
    message next to its field.
    """

    def __init__(self, fields: dict[str, tuple[str, dict]]):
        first_field, (template, params) = next(iter(fields.items()))
        super().__init__(template, **params)
        self.fields = fields


PERMISSION_LABELS = {
    "archive.view": QT_TRANSLATE_NOOP("Office", "view the archives"),
    "archive.edit": QT_TRANSLATE_NOOP("Office", "change the archives"),
    "estate.edit": QT_TRANSLATE_NOOP("Office", "change the estate's buildings and houses"),
    "pii.reveal": QT_TRANSLATE_NOOP("Office", "see full ID numbers and phones"),
    "audit.view": QT_TRANSLATE_NOOP("Office", "read the audit log"),
    "users.manage": QT_TRANSLATE_NOOP("Office", "manage users"),
    "settings.edit": QT_TRANSLATE_NOOP("Office", "change the office settings"),
    "notice.edit": QT_TRANSLATE_NOOP("Office", "make announcements"),
    "fees.view": QT_TRANSLATE_NOOP("Office", "see what houses owe"),
    "fees.setup": QT_TRANSLATE_NOOP("Office", "set up fee items and prices"),
    "billing.run": QT_TRANSLATE_NOOP("Office", "run the monthly billing"),
    "cash.take": QT_TRANSLATE_NOOP("Office", "take payments"),
    "cash.desk": QT_TRANSLATE_NOOP("Office", "take the front desk's fees and close your day"),
    "cash.approve": QT_TRANSLATE_NOOP("Office", "approve voids, refunds, waivers and back-dated payments"),
    "meters.enter": QT_TRANSLATE_NOOP("Office", "enter meter readings"),
    "dunning.log": QT_TRANSLATE_NOOP("Office", "send payment notices and log dunning calls"),
    "desk.parcels": QT_TRANSLATE_NOOP("Office", "take in and hand over parcels"),
    "desk.keys": QT_TRANSLATE_NOOP("Office", "lend keys and items, and keep their registers"),
    "service.desk": QT_TRANSLATE_NOOP("Office", "take in repairs and complaints and follow them up"),
    "service.manage": QT_TRANSLATE_NOOP("Office", "manage technicians, visit plans and the survey"),
    "backup.run": QT_TRANSLATE_NOOP("Office", "back up the office's data"),
    "backup.restore": QT_TRANSLATE_NOOP("Office", "restore a backup"),
}


class PermissionDenied(OfficeError):
    def __init__(self, permission: str):
        super().__init__(
            QT_TRANSLATE_NOOP("Office", "You may not {permission}; please ask a supervisor"),
            permission=Label(PERMISSION_LABELS.get(permission, permission)),
        )
        self.permission = permission


class NotFound(OfficeError):
    pass


class DatabaseOpenError(OfficeError):
    """The database could not be opened as an EstateDesk database; it was left as it was."""


class DatabaseTooNew(DatabaseOpenError):
    """Written by a newer EstateDesk than this one."""


class DatabaseReadOnly(DatabaseOpenError):
    """On a read-only disk, or a write-protected file or folder."""
