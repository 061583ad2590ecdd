"""Users and roles (用户与角色). A user may hold several roles; permissions are checked
here, in the core, by every function that needs one, not only by hiding buttons."""
from __future__ import annotations

import datetime

import peewee as pw

from models import audit, clock
from models.db import BaseModel, atomic
from models.errors import NotFound, OfficeError, PermissionDenied, QT_TRANSLATE_NOOP, ValidationError

CLERK, CASHIER, SUPERVISOR, ADMIN = "clerk", "cashier", "supervisor", "admin"
ROLES = {
    CLERK: QT_TRANSLATE_NOOP("Office", "Clerk"),  # 客服
    CASHIER: QT_TRANSLATE_NOOP("Office", "Cashier"),  # 收费员
    SUPERVISOR: QT_TRANSLATE_NOOP("Office", "Supervisor"),  # 主管
    ADMIN: QT_TRANSLATE_NOOP("Office", "Administrator"),  # 管理员
}

# cash.take: payments at the counter; cash.desk: the front desk's own fees (a parcel's
# storage fee) on a receipt, and closing one's day: the desk clerk hands parcels out herself
PERMISSIONS: dict[str, set[str]] = {
    CLERK: {"archive.view", "archive.edit", "notice.edit", "fees.view", "meters.enter", "dunning.log",
            "desk.parcels", "desk.keys", "service.desk", "backup.run", "cash.desk"},
    CASHIER: {"archive.view", "fees.view", "cash.take", "cash.desk", "billing.run", "meters.enter", "dunning.log",
              "desk.parcels", "desk.keys", "service.desk", "backup.run"},
    SUPERVISOR: {"archive.view", "archive.edit", "estate.edit", "pii.reveal", "audit.view", "notice.edit",
                 "fees.view", "fees.setup", "billing.run", "cash.take", "cash.desk", "cash.approve", "meters.enter",
                 "dunning.log", "desk.parcels", "desk.keys", "service.desk", "service.manage", "backup.run"},
    ADMIN: {"archive.view", "archive.edit", "estate.edit", "pii.reveal", "audit.view",
            "users.manage", "settings.edit", "notice.edit", "fees.view", "fees.setup", "billing.run",
            "meters.enter", "service.manage", "backup.run", "backup.restore"},
}

MIN_PASSWORD = 6


def password_problem(password: str):
    """Why `password` may not be used (a field error: template, params), or None. At least
    MIN_PASSWORD characters, and not spaces only or one character repeated (六个空格,
    111111), which anyone standing at the counter would guess."""
    if len(password) < MIN_PASSWORD:
        return QT_TRANSLATE_NOOP("Office", "The password needs at least {n} characters"), {"n": MIN_PASSWORD}
    if not password.strip() or len(set(password)) == 1:
        return QT_TRANSLATE_NOOP("Office", "Spaces only, or one character repeated, is too easy to guess: "
                                           "mix letters and digits"), {}
    return None


class _Hasher:
    """argon2, loaded at the first password rather than at every start."""

    _impl = None

    def __getattr__(self, name):
        if _Hasher._impl is None:
            from argon2 import PasswordHasher

            _Hasher._impl = PasswordHasher()
        return getattr(_Hasher._impl, name)


_hasher = _Hasher()


def _password_matches(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


class User(BaseModel):
    username = pw.CharField(max_length=64, unique=True)
    full_name = pw.CharField(max_length=64, default="")
    password_hash = pw.TextField()
    roles = pw.CharField(max_length=128, default="")
    active = pw.BooleanField(default=True)
    created_at = pw.DateTimeField(default=datetime.datetime.now)

    class Meta:
        table_name = "app_user"

    @property
    def role_set(self) -> set[str]:
        return {r for r in self.roles.split(",") if r}

    @property
    def permissions(self) -> set[str]:
        perms: set[str] = set()
        for role in self.role_set:
            perms |= PERMISSIONS.get(role, set())
        return perms

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


def has(user: User | None, permission: str) -> bool:
    return user is not None and user.active and permission in user.permissions


def require(user: User | None, permission: str) -> None:
    """The core's gate before every action: the user as the database has them now, not as
    they signed in (an administrator may have deactivated them, or taken a role, at
    another PC while their window stayed open)."""
    if not has(user, permission):
        raise PermissionDenied(permission)
    now = User.select(User.active, User.roles).where(User.id == user.id).first()
    if now is None or not has(now, permission):
        raise PermissionDenied(permission)


def _check_new(username: str, password: str, roles: list[str]) -> None:
    errors = {}
    if not username.strip():
        errors["username"] = (QT_TRANSLATE_NOOP("Office", "Enter a user name"), {})
    elif User.select().where(User.username == username.strip()).exists():
        errors["username"] = (QT_TRANSLATE_NOOP("Office", "The user name {name} is taken"),
                              {"name": username.strip()})
    if password_problem(password):
        errors["password"] = password_problem(password)
    if not roles or any(r not in ROLES for r in roles):
        errors["roles"] = (QT_TRANSLATE_NOOP("Office", "Choose at least one role"), {})
    if errors:
        raise ValidationError(errors)


def needs_first_admin() -> bool:
    return not User.select().exists()


def create_first_admin(username: str, password: str, full_name: str = "") -> User:
    """The first start: the one who installs EstateDesk sets the administrator's password."""
    with atomic():
        if not needs_first_admin():
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "The administrator has already been set up"))
        _check_new(username, password, [ADMIN])
        user = User.create(username=username.strip(), full_name=full_name.strip(),
                           password_hash=_hasher.hash(password), roles=ADMIN,
                           created_at=clock.now())
        audit.record(user, "user.create", "user", user.id, user.username, {"roles": ADMIN})
    return user


def create_user(actor: User, username: str, password: str, roles: list[str],
                full_name: str = "") -> User:
    require(actor, "users.manage")
    with atomic():
        _check_new(username, password, roles)
        user = User.create(username=username.strip(), full_name=full_name.strip(),
                           password_hash=_hasher.hash(password), roles=",".join(sorted(roles)),
                           created_at=clock.now())
        audit.record(actor, "user.create", "user", user.id, user.username, {"roles": user.roles})
    return user


def update_user(actor: User, user_id: int, *, roles: list[str] | None = None,
                active: bool | None = None, full_name: str | None = None,
                password: str | None = None) -> User:
    require(actor, "users.manage")
    with atomic():
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "No such user"))
        changes = {}
        if roles is not None:
            if not roles or any(r not in ROLES for r in roles):
                raise ValidationError({"roles": (QT_TRANSLATE_NOOP("Office", "Choose at least one role"), {})})
            changes["roles"] = [user.roles, ",".join(sorted(roles))]
            user.roles = ",".join(sorted(roles))
        if active is not None and active != user.active:
            changes["active"] = [user.active, active]
            user.active = active
        if full_name is not None and full_name.strip() != user.full_name:
            changes["full_name"] = [user.full_name, full_name.strip()]
            user.full_name = full_name.strip()
        if password is not None:
            if password_problem(password):
                raise ValidationError({"password": password_problem(password)})
            user.password_hash = _hasher.hash(password)
            changes["password"] = ["***", "***"]
        if user.id == actor.id and ADMIN not in user.role_set | set() and roles is not None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "You cannot take the administrator role from yourself"))
        if user.id == actor.id and active is False:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "You cannot deactivate yourself"))
        user.save()
        audit.record(actor, "user.update", "user", user.id, user.username, changes)
    return user


def change_own_password(user: User, old: str, new: str) -> User:
    """A signed-in user changes their own password; the current one is checked first."""
    with atomic():
        me = User.get_by_id(user.id)
        if not me.active:
            raise PermissionDenied("login")
        if not _password_matches(me.password_hash, old):
            raise ValidationError({"old": (QT_TRANSLATE_NOOP("Office", "The current password is wrong"), {})})
        if password_problem(new):
            raise ValidationError({"password": password_problem(new)})
        me.password_hash = _hasher.hash(new)
        me.save()
        audit.record(me, "user.password", "user", me.id, me.username)
    return me


def login(username: str, password: str) -> User:
    """Check a user's password. The same message for an unknown name and a wrong password;
    a failed attempt is logged with the name that was tried (never the password)."""
    wrong = OfficeError(QT_TRANSLATE_NOOP("Office", "Wrong user name or password"))
    user = User.get_or_none(User.username == username.strip())
    if user is None or not user.active or not _password_matches(user.password_hash, password):
        with atomic():
            # a name that is no user may be a password typed in the wrong box: never logged
            audit.record(user, "login.failed", "user", user.id if user else None,
                         user.username if user else "")
        raise wrong
    with atomic():
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
            user.save()
        audit.record(user, "login", "user", user.id, user.username)
    return user


def verify_password(user: User, password: str) -> bool:
    return _password_matches(user.password_hash, password)


def approve(username: str, password: str, permission: str) -> User:
    """A supervisor's approval given at the cashier's PC (a void, a refund, a back-dated
    payment): their name and password, and the permission it needs. A refused approval is
    logged like a refused sign-in."""
    user = User.get_or_none(User.username == username.strip())
    if user is None or not user.active or not _password_matches(user.password_hash, password):
        with atomic():
            audit.record(user, "approval.failed", "user", user.id if user else None,
                         user.username if user else "")
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "Wrong user name or password"))
    require(user, permission)
    return user


def all_users():
    return list(User.select().order_by(User.username))
