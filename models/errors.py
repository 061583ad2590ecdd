"""The refusals the office's rules raise, in words a clerk can act on.

The core is Qt-free, so a message is an English template marked for Qt's translator
(`QT_TRANSLATE_NOOP`, which lupdate recognises) plus its parameters; the UI translates
the template and fills it in. `str(error)` gives the English text for logs and the CLI.
"""

CONTEXT = "Office"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


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


class PermissionDenied(OfficeError):
    def __init__(self, permission: str):
        super().__init__(
            QT_TRANSLATE_NOOP("Office", "You do not have the permission for this: {permission}"),
            permission=permission,
        )
        self.permission = permission


class NotFound(OfficeError):
    pass


class DatabaseOpenError(OfficeError):
    """The database could not be opened as an EstateDesk database; it was left as it was."""
