"""Users and roles (用户与角色). A user may hold several roles; permissions are checked
here, in the core, by every function that needs one, not only by hiding buttons."""
from __future__ import annotations

import datetime
import json
import math
import secrets
import sys
import threading
from dataclasses import dataclass, field

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
        matches = bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        matches = False
    pc = _this_pc()
    pc.failures, pc.last = (0, None) if matches else (pc.failures + 1, clock.now())
    return matches


# Throttling sign-ins (密码错误次数限制). Two brakes, neither of which ever sleeps the window:
# - this PC: after PC_FREE_FAILURES wrong passwords in a row (any names) the next try must
#   wait 2, 4, 8 … seconds (at most PC_MAX_WAIT_S), and is refused until then;
# - a user: `signin_attempts` wrong passwords in a row (sign-ins and approvals, at any PC)
#   within `signin_lock_minutes` lock them for those minutes, even with the right password,
#   until the time passes or an administrator unlocks them (`unlock`). The lock is read from
#   the audit log: the failures since the user's last sign-in, unlock or lock, and the lock
#   entry itself, so every PC of the office sees the same lock.
PC_FREE_FAILURES = 3
PC_MAX_WAIT_S = 60
_FAILED = ("login.failed", "approval.failed")
_FRESH_START = ("login", "user.unlock", "login.locked")  # the failures before these are counted no more

# a name that is no user is checked against this hash (of no password anyone has), so the
# answer takes as long as for a real user and its time tells nobody which names exist
_NO_USER_HASH = "$argon2id$v=19$m=65536,t=3,p=4$YL+LbHv2VJ/vXQuLIPR0EQ$fyK22Pk2jHynMLlI3E0bQh/yM+OCw5EGPyHk/gYemKs"


def _no_user_hash() -> str:
    global _NO_USER_HASH
    if _hasher.check_needs_rehash(_NO_USER_HASH):  # argon2's costs changed: as costly as the users' hashes
        _NO_USER_HASH = _hasher.hash(secrets.token_hex(16))
    return _NO_USER_HASH


class _ThisPc:
    """The wrong passwords typed in a row in this process, against the office database
    open now (another database, as in the tests, starts afresh)."""
    database = None
    failures = 0
    last: datetime.datetime | None = None


_pc = _ThisPc()


def _this_pc() -> _ThisPc:
    from models.db import database

    if _pc.database is not database.obj:
        _pc.database, _pc.failures, _pc.last = database.obj, 0, None
    return _pc


def _pc_wait_s(now: datetime.datetime) -> int:
    """The seconds this PC must still wait before the next password is checked (0: none)."""
    pc = _this_pc()
    if pc.failures < PC_FREE_FAILURES or pc.last is None:
        return 0
    wait = min(2 ** (pc.failures - PC_FREE_FAILURES + 1), PC_MAX_WAIT_S)
    left = (pc.last + datetime.timedelta(seconds=wait) - now).total_seconds()
    return max(0, math.ceil(left))


def _about(user: User):
    from models.audit import AuditEntry

    return (AuditEntry.target_type == "user") & (AuditEntry.target_id == user.id)


def _lock_state(user: User, now: datetime.datetime):
    """(until when `user` is locked, or None; the lock's audit entry, or None while the lock
    is only due: approvals' failures are counted at the next try)."""
    from models import settings
    from models.audit import AuditEntry

    last = (AuditEntry.select(AuditEntry.id, AuditEntry.at, AuditEntry.action, AuditEntry.detail)
            .where(_about(user) & AuditEntry.action.in_(_FRESH_START))
            .order_by(AuditEntry.id.desc()).first())
    minutes = settings.get("signin_lock_minutes")
    since = now - datetime.timedelta(minutes=minutes)
    if last is not None and last.action == "login.locked":
        try:
            until = datetime.datetime.fromisoformat(json.loads(last.detail)["until"])
        except (ValueError, KeyError, TypeError):
            until = last.at + datetime.timedelta(minutes=minutes)
        if until > now:
            return until, last
        since = max(since, until)  # what was typed during the lock is not held against them again
    failures = list(AuditEntry.select(AuditEntry.at).where(
        _about(user) & AuditEntry.action.in_(_FAILED) & (AuditEntry.id > (last.id if last else 0))
        & (AuditEntry.at >= since)).order_by(AuditEntry.id))
    if len(failures) >= settings.get("signin_attempts"):
        until = failures[-1].at + datetime.timedelta(minutes=minutes)
        if until > now:
            return until, None
    return None, None


def locked_until(user: User, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Until when `user` may not sign in after too many wrong passwords (None: they may)."""
    return _lock_state(user, now or clock.now())[0]


def _lock_now(user: User, now: datetime.datetime) -> datetime.datetime | None:
    """`locked_until`, writing the lock's audit entry when it is due."""
    from models import settings

    until, entry = _lock_state(user, now)
    if until is not None and entry is None:
        with atomic():
            audit.record(user, "login.locked", "user", user.id, user.username,
                         {"failures": settings.get("signin_attempts"),
                          "until": until.isoformat(sep=" ")})
    return until


def _locked(user: User, until: datetime.datetime, now: datetime.datetime) -> OfficeError:
    from models import settings

    return OfficeError(QT_TRANSLATE_NOOP(
        "Office", "{name} typed a wrong password {n} times in a row and is locked: try again in {minutes} "
                  "minutes, or ask an administrator to unlock {name}"),
        name=user.username, n=settings.get("signin_attempts"),
        minutes=max(1, math.ceil((until - now).total_seconds() / 60)))


def _throttle(username: str, failed_action: str = "login.failed", *, in_equal_time: bool = False):
    """Before a password is checked (a sign-in, a supervisor's approval): refused while this
    PC must wait or the user of that name is locked (a refusal logged as `failed_action`);
    else that user, or None. `in_equal_time`: a name that is no active user costs one
    password check here, for a caller that refuses such a name without one."""
    now = clock.now()
    wait = _pc_wait_s(now)
    if wait:
        raise OfficeError(QT_TRANSLATE_NOOP(
            "Office", "Too many wrong passwords at this PC: wait {n} seconds, then try again"), n=wait)
    user = User.get_or_none(User.username == str(username).strip())
    if user is not None and user.active:
        until = _lock_now(user, now)
        if until is not None:
            with atomic():
                audit.record(user, failed_action, "user", user.id, user.username, {"locked": True})
            raise _locked(user, until, now)
    if in_equal_time and (user is None or not user.active):
        _password_matches(_no_user_hash(), "")
    return user


def unlock(actor: User, user_id: int) -> User:
    """An administrator lets a user locked by wrong passwords sign in again at once (their
    wrong passwords so far are forgotten)."""
    require(actor, "users.manage")
    with atomic():
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "No such user"))
        if locked_until(user) is None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "{name} is not locked"), name=user.username)
        audit.record(actor, "user.unlock", "user", user.id, user.username)
    return user


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
    another PC while their window stayed open). A refusal is audited, with the action
    refused (the core function that asked)."""
    if has(user, permission):
        now = User.select(User.active, User.roles).where(User.id == user.id).first()
        if now is not None and has(now, permission):
            return
    caller = sys._getframe(1)
    audit.refused(user, permission, f"{caller.f_globals.get('__name__', '').removeprefix('models.')}."
                                    f"{caller.f_code.co_name}")
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
    a failed attempt is logged with the name that was tried (never the password). Throttled
    (`_throttle`): this PC waits after wrong passwords, a user is locked after too many;
    an unknown or deactivated name takes the time a wrong password takes."""
    wrong = OfficeError(QT_TRANSLATE_NOOP("Office", "Wrong user name or password"))
    user = _throttle(username)
    matches = _password_matches(user.password_hash if user is not None else _no_user_hash(), password)
    if user is None or not user.active or not matches:
        with atomic():
            # a name that is no user may be a password typed in the wrong box: never logged
            audit.record(user, "login.failed", "user", user.id if user else None,
                         user.username if user else "")
        until = _lock_now(user, clock.now()) if user is not None and user.active else None
        if until is not None:  # this was the last wrong password allowed
            raise _locked(user, until, clock.now())
        raise wrong
    with atomic():
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
            user.save()
        audit.record(user, "login", "user", user.id, user.username)
    return user


APPROVAL_MINUTES = 5  # an approval is for the action on screen now, not for later


@dataclass(frozen=True, eq=False)
class Approval:
    """主管批准: a supervisor's name and password checked by `approve` for one action
    needing `permission`. Only `approve` makes one that counts: it is kept in this process
    until it is used once or its minutes run out, so a user object, a copy or an approval
    made up in code approves nothing."""
    user_id: int
    username: str
    permission: str
    issued_at: datetime.datetime
    token: str = field(repr=False, default="")


_approvals: dict[str, Approval] = {}  # token → an approval issued here and not yet used
_approvals_lock = threading.Lock()


def _expired(approval: Approval, now: datetime.datetime) -> bool:
    return not approval.issued_at <= now <= approval.issued_at + datetime.timedelta(minutes=APPROVAL_MINUTES)


def approve(username: str, password: str, permission: str) -> Approval:
    """A supervisor's approval given at the cashier's PC (a void, a refund, a back-dated
    payment, a waiver): their name and password, and the permission it needs. Returns the
    approval the core function takes (`redeem`). A refused approval is logged like a
    refused sign-in."""
    _throttle(username, "approval.failed", in_equal_time=True)  # counted with the sign-ins
    user = User.get_or_none(User.username == str(username).strip())
    if user is None or not user.active or not _password_matches(user.password_hash, str(password)):
        with atomic():
            audit.record(user, "approval.failed", "user", user.id if user else None,
                         user.username if user else "")
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "Wrong user name or password"))
    require(user, permission)
    now = clock.now()
    approval = Approval(user.id, user.username, permission, now, secrets.token_hex(16))
    with _approvals_lock:
        for token in [t for t, a in _approvals.items() if _expired(a, now)]:
            del _approvals[token]
        _approvals[approval.token] = approval
    return approval


def redeem(approval, permission: str) -> User:
    """The supervisor behind `approval`, as the database has them now, for one action
    needing `permission`; the approval is used up (single use, whether the action then
    succeeds or not: the dialog asks for the password again). Refused: anything that is not
    an approval `approve` issued in this process (a user object, a copy), one used before,
    one for another permission, one older than APPROVAL_MINUTES, and a supervisor since
    deactivated or without the permission."""
    if not isinstance(approval, Approval):
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "A supervisor approves this with their own name and password"))
    with _approvals_lock:
        issued = _approvals.get(approval.token)
        if issued is approval:
            del _approvals[approval.token]
    if issued is not approval or approval.permission != permission:
        raise OfficeError(QT_TRANSLATE_NOOP(
            "Office", "This approval is used already or is for something else; the supervisor approves again"))
    if _expired(approval, clock.now()):
        raise OfficeError(QT_TRANSLATE_NOOP(  # APPROVAL_MINUTES: for the action on screen, not for later
            "Office", "The supervisor's approval has run out; the supervisor approves again"))
    user = User.get_or_none(User.id == approval.user_id)
    if user is None:
        raise PermissionDenied(permission)
    require(user, permission)
    return user


def all_users():
    return list(User.select().order_by(User.username))
