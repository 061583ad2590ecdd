"""Users and roles (用户与角色). A user may hold several roles; permissions are checked
here, in the core, by every function that needs one, not only by hiding buttons."""
from __future__ import annotations

import datetime
import hashlib
import json
import math
import platform
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
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


# Throttling sign-ins (密码错误次数限制). Two brakes, neither of which ever sleeps the window:
# - this PC: after PC_FREE_FAILURES wrong passwords in a row (any names) the next try must
#   wait 2, 4, 8 … seconds (at most PC_MAX_WAIT_S), and is refused until then. The count
#   is read from the audit log (each failure and sign-in names its PC), so starting the
#   program again or reconnecting does not clear it: only a real sign-in at this PC does;
# - a name: `signin_attempts` wrong passwords in a row (sign-ins and approvals, at any PC)
#   within `signin_lock_minutes` lock it for those minutes, even with the right password,
#   until the time passes or an administrator unlocks it (`unlock`, or `main.py
#   unlock-user`). A user's lock is read from the audit log: the failures since their last
#   sign-in, unlock or lock, and the lock entry itself, so every PC sees the same lock. A
#   name that is no active user is locked the same way and in the same words at every PC
#   (its failures are logged under a short keyed digest of it, never as typed: it may be a
#   password typed in the wrong box), so neither the answers nor their time tell which
#   names exist.
PC_FREE_FAILURES = 3
PC_MAX_WAIT_S = 60
PC_MEMORY = datetime.timedelta(hours=1)  # older wrong passwords no longer count at a PC
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


def _as_costly(password: str) -> None:
    """The time a password check takes, for an answer given without one."""
    _password_matches(_no_user_hash(), str(password))


class _ThisPc:
    """This PC as the audit log names it."""
    name = platform.node() or "-"


_pc = _ThisPc()


def _pc_detail() -> dict:
    return {"pc": _pc.name}


def _tries_since(since: datetime.datetime) -> list[tuple[str, datetime.datetime, dict]]:
    """The sign-ins and wrong passwords logged since `since`, newest first: (action, time,
    detail). Read by time (indexed), and few: the last hour's."""
    from models.audit import AuditEntry

    out = []
    for action, at, detail in (AuditEntry.select(AuditEntry.action, AuditEntry.at, AuditEntry.detail)
                               .where(AuditEntry.action.in_(_FAILED + ("login",)) & (AuditEntry.at >= since))
                               .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(2000).tuples()):
        try:
            out.append((action, at, json.loads(detail) if detail else {}))
        except ValueError:
            continue
    return out


def _pc_tries(now: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    """The wrong passwords typed in a row at this PC (since its last sign-in, within
    PC_MEMORY), and when the newest was."""
    failures, last = 0, None
    for action, at, detail in _tries_since(now - PC_MEMORY):
        if detail.get("pc") != _pc.name:
            continue
        if action == "login":
            break
        failures += 1
        last = last or at
    return failures, last


def _pc_wait_s(now: datetime.datetime) -> int:
    """The seconds this PC must still wait before the next password is checked (0: none)."""
    failures, last = _pc_tries(now)
    if failures < PC_FREE_FAILURES or last is None:
        return 0
    wait = min(2 ** (failures - PC_FREE_FAILURES + 1), PC_MAX_WAIT_S)
    left = (last + datetime.timedelta(seconds=wait) - now).total_seconds()
    return max(0, math.ceil(left))


_NAME_SECRET = "signin_name_secret"  # AppMeta: the office's key for names that are no user


def _name_key(name: str) -> str:
    """A name that is no active user, as its failures are logged: 32 bits of a keyed digest,
    enough to count its wrong passwords at every PC, too few to confirm a password someone
    typed into the name box."""
    import hmac

    from models.migrations import AppMeta

    row = AppMeta.get_or_none(AppMeta.key == _NAME_SECRET)
    if row is None:
        AppMeta.insert(key=_NAME_SECRET, value=secrets.token_hex(32)).on_conflict_ignore().execute()
        row = AppMeta.get(AppMeta.key == _NAME_SECRET)
    return hmac.new(row.value.encode(), str(name).strip().casefold().encode("utf-8"), hashlib.sha256).hexdigest()[:8]


def _unknown_locked_until(name: str, now: datetime.datetime) -> datetime.datetime | None:
    """Until when a name that is no active user is locked, counted as a user's lock is (its
    failures at every PC, within the lock's minutes; those typed while locked not again)."""
    from models import settings

    minutes, attempts = settings.office.signin_lock_minutes, settings.office.signin_attempts
    key = _name_key(name)
    failures = [at for _action, at, d in _tries_since(now - datetime.timedelta(minutes=minutes))
                if d.get("name") == key and not d.get("locked")]
    if len(failures) >= attempts:
        until = sorted(failures)[attempts - 1] + datetime.timedelta(minutes=minutes)
        if until > now:
            return until
    return None


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
    minutes = settings.office.signin_lock_minutes
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
    if len(failures) >= settings.office.signin_attempts:
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
                         {"failures": settings.office.signin_attempts,
                          "until": until.isoformat(sep=" ")})
    return until


def _locked(name: str, until: datetime.datetime, now: datetime.datetime) -> OfficeError:
    from models import settings

    return OfficeError(QT_TRANSLATE_NOOP(
        "Office", "{name} typed a wrong password {n} times in a row and is locked: try again in {minutes} "
                  "minutes, or ask an administrator to unlock {name}"),
        name=name, n=settings.office.signin_attempts,
        minutes=max(1, math.ceil((until - now).total_seconds() / 60)))


def _throttle(username: str, password: str, failed_action: str = "login.failed"):
    """Before a password is checked (a sign-in, a supervisor's approval): refused while this
    PC must wait, or while the name is locked (a user's refusal logged as `failed_action`;
    it still costs a password check, as every answer does); else the user of that name
    (None: no such user)."""
    now = clock.now()
    wait = _pc_wait_s(now)
    if wait:
        raise OfficeError(QT_TRANSLATE_NOOP(
            "Office", "Too many wrong passwords at this PC: wait {n} seconds, then try again"), n=wait)
    name = str(username).strip()
    user = User.get_or_none(User.username == name)
    if user is not None and user.active:
        until = _lock_now(user, now)
        if until is not None:
            _as_costly(password)
            with atomic():
                audit.record(user, failed_action, "user", user.id, user.username, {"locked": True, **_pc_detail()})
            raise _locked(user.username, until, now)
    else:
        until = _unknown_locked_until(name, now)
        if until is not None:  # answered, logged and counted at this PC as a user's lock is
            _as_costly(password)
            with atomic():
                audit.record(user, failed_action, "user", user.id if user else None, user.username if user else "",
                             {"locked": True, "name": _name_key(name), **_pc_detail()})
            raise _locked(name, until, now)
    return user


def _failed(user: User | None, name: str, action: str) -> None:
    """A wrong password (or a name that is no active user) logged, and counted; the lock
    when this was the last one allowed."""
    now = clock.now()
    known = user is not None and user.active
    with atomic():
        # a name that is no user may be a password typed in the wrong box: never logged, only its key
        audit.record(user, action, "user", user.id if user else None, user.username if user else "",
                     _pc_detail() if known else {"name": _name_key(name), **_pc_detail()})
    until = _lock_now(user, now) if known else _unknown_locked_until(name, now)
    if until is not None:  # this was the last wrong password allowed
        raise _locked(user.username if user is not None and user.active else name.strip(), until, now)


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


def unlock_at_the_pc(username: str) -> User:
    """`main.py unlock-user`: a locked user let in again by whoever runs commands on the PC
    that holds the office's data (or with the server's address): the way back in when
    someone keeps the administrator locked by typing wrong passwords for them. Audited as
    done at that PC."""
    with atomic():
        user = User.get_or_none(User.username == str(username).strip())
        if user is None:
            raise NotFound(QT_TRANSLATE_NOOP("Office", "No such user"))
        if locked_until(user) is None:
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "{name} is not locked"), name=user.username)
        audit.record(None, "user.unlock", "user", user.id, user.username, {"by": "command line", **_pc_detail()})
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


def display_name_of(user_id: int | None) -> str:
    """The name a paper signs a clerk with (她的全名, else her user name); "" for none."""
    user = User.get_or_none(User.id == user_id) if user_id else None
    return user.display_name if user else ""


def has(user: User | None, permission: str) -> bool:
    return user is not None and user.active and permission in user.permissions


def _as_now(user: User | None) -> User | None:
    """`user` as the database has them now (their state and roles), or None."""
    if user is None or getattr(user, "id", None) is None:
        return None
    return User.select(User.id, User.active, User.roles).where(User.id == user.id).first()


def holds(user: User | None, permission: str) -> bool:
    """Whether `user` holds `permission` now (read afresh, as `require` reads it), for a
    rule that lets more through for a permission (a supervisor closing another's case);
    nothing is logged. `has` reads the user object as it was signed in: for what a window
    shows, never for what the core lets through."""
    return has(user, permission) and has(_as_now(user), permission)


def _refuse(user: User | None, permission: str, caller) -> PermissionDenied:
    audit.refused(user, permission, f"{caller.f_globals.get('__name__', '').removeprefix('models.')}."
                                    f"{caller.f_code.co_name}")
    return PermissionDenied(permission)


def require(user: User | None, permission: str) -> None:
    """The core's gate before every action: the user as the database has them now, not as
    they signed in (an administrator may have deactivated them, or taken a role, at
    another PC while their window stayed open). A refusal is audited, with the action
    refused (the core function that asked)."""
    if not holds(user, permission):
        raise _refuse(user, permission, sys._getframe(1))


def require_any(user: User | None, *permissions: str) -> str:
    """`require` for an action that either of `permissions` allows (the desk clerk's own
    receipts, or any with cash.take): the first one `user` holds, as signed in and as the
    database has them now (as `require` asks both). Refused (and logged as the first) when
    they hold none of them so."""
    held = [p for p in permissions if has(user, p)]  # as signed in, and (below) as the database has them now
    if held:
        now = _as_now(user)
        for p in held:
            if has(now, p):
                return p
    raise _refuse(user, permissions[0], sys._getframe(1))


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
    user = _throttle(username, password)
    matches = _password_matches(user.password_hash if user is not None else _no_user_hash(), password)
    if user is None or not user.active or not matches:
        _failed(user, str(username), "login.failed")
        raise OfficeError(QT_TRANSLATE_NOOP("Office", "Wrong user name or password"))
    with atomic():
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
            user.save()
        audit.record(user, "login", "user", user.id, user.username, _pc_detail())
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
    user = _throttle(username, password, "approval.failed")  # counted with the sign-ins
    matches = _password_matches(user.password_hash if user is not None else _no_user_hash(), str(password))
    if user is None or not user.active or not matches:
        _failed(user, str(username), "approval.failed")
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
