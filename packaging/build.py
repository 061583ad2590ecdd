#!/usr/bin/env python3
"""Build what an office installs, in one command each.

    python3 packaging/build.py bundle [--dist DIR]
        The one-folder bundle (PyInstaller): DIR/EstateDesk/ (default dist/) holding
        EstateDesk[.exe], the window, and estatedesk-cli[.exe], the same program for
        commands, with Python, Qt (no WebEngine), the translations, the Chinese font, the
        icon and the clerk's guide (its chapters for F1 and the printable PDF). Makes the
        virtual environment in .venv with PyInstaller first, as bootstrap.py does.

    python3 packaging/build.py deb [--bundle DIR] [--version V] [--out DIR]
        A .deb for Debian, 统信UOS and 麒麟 from the bundle (built first unless --bundle
        names one): the program in /opt/estatedesk, `estatedesk` and `estatedesk-cli` on
        the path, the menu entry 物业服务台 with its icon, the nightly backup as a systemd
        user timer (switched on at install only when the installing administrator says
        so). Its version is pyproject's with the number of commits after it (0.1.0+117),
        so that each build upgrades the one before.

On Windows the bundle is wrapped by packaging/windows/estatedesk.iss (Inno Setup); see
packaging/BUILD.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bootstrap  # noqa: E402 - the same .venv and Debian packages as the README's commands

ROOT = bootstrap.ROOT
PY = bootstrap.PY
GUIDE_PDFS = {"zh_CN": "物业服务台操作手册.pdf", "en": "EstateDesk-guide.pdf"}
DEB_NAME = "estatedesk"
INSTALL_DIR = "/opt/estatedesk"


def say(text: str) -> None:
    print(f"[build] {text}", flush=True)


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def deb_version() -> str:
    """pyproject's version and the commit count: a later build is a higher version."""
    try:
        count = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return version()
    return f"{version()}+{count}"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build_guide(out: Path) -> list[Path]:
    """The printable guide, in Chinese and English (printing/guide.py makes it)."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for lang, name in GUIDE_PDFS.items():
        target = out / name
        subprocess.run([str(PY), "-m", "printing.guide", str(target), "--lang", lang], cwd=ROOT, check=True)
        made.append(target)
    return made


def bundle(dist: Path, work: Path | None = None) -> Path:
    bootstrap.apt_install(bootstrap.DEBIAN_RUNTIME)
    bootstrap.ensure_venv("build")
    guide = ROOT / "build" / "guide"
    shutil.rmtree(guide, ignore_errors=True)
    for pdf in build_guide(guide):
        say(f"guide {pdf.name}")
    work = work or Path(tempfile.mkdtemp(prefix="estatedesk-pyi-"))
    subprocess.run([str(PY), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(ROOT / "packaging" / "estatedesk.spec")],
                   cwd=ROOT, check=True)
    out = dist / "EstateDesk"
    say(f"bundle {out}: {folder_size(out) / 2 ** 20:.0f} MiB")
    return out


# --- the .deb -------------------------------------------------------------------------

CONTROL = """\
Package: {name}
Version: {version}
Architecture: {arch}
Maintainer: EstateDesk <estatedesk@localhost>
Section: misc
Priority: optional
Installed-Size: {size_kib}
Depends: {depends}
Description: EstateDesk (物业服务台): the front desk of an estate's management office
 Owners' archives, keys, parcels, repairs and complaints with their deadlines, fees and
 receipts printed on A4 and continuous forms; on one PC (SQLite) or a shared
 PostgreSQL server, backed up to a USB stick.
"""

DESKTOP = """\
[Desktop Entry]
Type=Application
Name=EstateDesk
Name[zh_CN]=物业服务台
GenericName=Property management front desk
GenericName[zh_CN]=物业管理服务台
Comment=Archives, keys, parcels, repairs, fees and receipts of the estate
Comment[zh_CN]=业主档案、钥匙、包裹、报修、收费与收据
Exec=estatedesk
Icon=estatedesk
Terminal=false
Categories=Office;Finance;
Keywords=property;estate;物业;收费;
StartupWMClass=EstateDesk
"""

WRAPPER = """\
#!/bin/sh
exec {install}/EstateDesk "$@"
"""

SERVICE = """\
[Unit]
Description=EstateDesk nightly backup (物业服务台 每晚备份)

[Service]
Type=oneshot
ExecStart=/usr/bin/estatedesk-cli backup --scheduled
"""

TIMER = """\
[Unit]
Description=EstateDesk nightly backup (物业服务台 每晚备份)

[Timer]
OnCalendar=*-*-* 21:30:00
Persistent=true

[Install]
WantedBy=timers.target
"""

TEMPLATES = """\
Template: estatedesk/nightly-backup
Type: boolean
Default: false
Description: Back EstateDesk up every night?
 Each user who uses EstateDesk on this computer then gets a backup of the office's data
 every night (as `estatedesk-cli backup --scheduled`), made while they are signed in, or
 at their next sign-in when the computer was off. The backups go to the folder set with
 `estatedesk-cli schedule-backup --to FOLDER` (a USB stick), else to the user's data
 folder. A night without a good backup shows on the 今日 page.
Description-zh_CN.UTF-8: 每晚自动备份物业服务台吗？
 使用本机的每个用户，每晚都会自动备份物业数据（已登录时进行；关机错过的，下次登录时补做）。
 备份写入 `estatedesk-cli schedule-backup --to 文件夹` 设定的文件夹（例如U盘），未设定时写入用户的数据文件夹。
 某晚没有成功备份时，“今日”页面会提醒。

Template: estatedesk/backup-time
Type: string
Default: 21:30
Description: At what time (HH:MM)?
Description-zh_CN.UTF-8: 每晚几点备份（时:分）？
"""

CONFIG = """\
#!/bin/sh
set -e
. /usr/share/debconf/confmodule
db_input medium estatedesk/nightly-backup || true
db_go || true
db_get estatedesk/nightly-backup
if [ "$RET" = "true" ]; then
    db_input medium estatedesk/backup-time || true
    db_go || true
fi
"""

POSTINST = """\
#!/bin/sh
# Leaves every user's data alone: it lives in their home folders, never under /opt.
set -e
. /usr/share/debconf/confmodule
if [ "$1" = "configure" ]; then
    db_get estatedesk/nightly-backup
    nightly="$RET"
    db_get estatedesk/backup-time
    at="$RET"
    case "$at" in
        [01][0-9]:[0-5][0-9]|2[0-3]:[0-5][0-9]) ;;
        *) at="21:30" ;;
    esac
    mkdir -p /etc/systemd/user/estatedesk-backup.timer.d
    printf '[Timer]\\nOnCalendar=\\nOnCalendar=*-*-* %s:00\\n' "$at" \\
        > /etc/systemd/user/estatedesk-backup.timer.d/time.conf
    if [ "$nightly" = "true" ]; then
        if ! systemctl --global enable estatedesk-backup.timer >/dev/null 2>&1; then
            mkdir -p /etc/systemd/user/timers.target.wants
            ln -sf /usr/lib/systemd/user/estatedesk-backup.timer \\
                /etc/systemd/user/timers.target.wants/estatedesk-backup.timer
        fi
    else
        systemctl --global disable estatedesk-backup.timer >/dev/null 2>&1 || true
        rm -f /etc/systemd/user/timers.target.wants/estatedesk-backup.timer
    fi
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
db_stop
exit 0
"""

PRERM = """\
#!/bin/sh
set -e
if [ "$1" = "remove" ]; then
    # no timer left pointing to a program that is gone; the data stays where it is
    systemctl --global disable estatedesk-backup.timer >/dev/null 2>&1 || true
    rm -f /etc/systemd/user/timers.target.wants/estatedesk-backup.timer
fi
exit 0
"""

POSTRM = """\
#!/bin/sh
set -e
if [ "$1" = "purge" ]; then
    rm -rf /etc/systemd/user/estatedesk-backup.timer.d
    if [ -e /usr/share/debconf/confmodule ]; then
        . /usr/share/debconf/confmodule
        db_purge || true
    fi
fi
exit 0
"""


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def deb_tree(bundle_dir: Path, root: Path, deb_ver: str, arch: str) -> None:
    """The package's files under `root` (DEBIAN/ included), ready for dpkg-deb."""
    shutil.copytree(bundle_dir, root / INSTALL_DIR.lstrip("/"), symlinks=True)
    for name in ("estatedesk", "estatedesk-cli"):
        _write(root / "usr/bin" / name, WRAPPER.format(install=INSTALL_DIR), 0o755)
    _write(root / "usr/share/applications/estatedesk.desktop", DESKTOP)
    icon = root / "usr/share/icons/hicolor/256x256/apps/estatedesk.png"
    icon.parent.mkdir(parents=True)
    shutil.copy(ROOT / "resources/icons/estatedesk.png", icon)
    _write(root / "usr/lib/systemd/user/estatedesk-backup.service", SERVICE)
    _write(root / "usr/lib/systemd/user/estatedesk-backup.timer", TIMER)
    doc = root / "usr/share/doc" / DEB_NAME
    doc.mkdir(parents=True)
    for pdf in (bundle_dir / "_internal" / "resources" / "guide").glob("*.pdf"):
        os.symlink(f"{INSTALL_DIR}/_internal/resources/guide/{pdf.name}", doc / pdf.name)
    _write(doc / "copyright", "EstateDesk (物业服务台)\nSee the project's source for its licence.\n")
    size_kib = folder_size(root) // 1024
    depends = ", ".join(["debconf (>= 0.5) | debconf-2.0", *bootstrap.DEBIAN_RUNTIME])
    _write(root / "DEBIAN/control", CONTROL.format(name=DEB_NAME, version=deb_ver, arch=arch,
                                                     size_kib=size_kib, depends=depends))
    _write(root / "DEBIAN/templates", TEMPLATES)
    for name, text in (("config", CONFIG), ("postinst", POSTINST), ("prerm", PRERM), ("postrm", POSTRM)):
        _write(root / "DEBIAN" / name, text, 0o755)


def deb(bundle_dir: Path, out: Path, deb_ver: str | None = None) -> Path:
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("dpkg-deb is needed (Debian, 统信UOS, 麒麟)")
    deb_ver = deb_ver or deb_version()
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{DEB_NAME}_{deb_ver}_{arch}.deb"
    with tempfile.TemporaryDirectory(prefix="estatedesk-deb-") as tmp:
        root = Path(tmp) / "root"
        deb_tree(bundle_dir, root, deb_ver, arch)
        # gzip at its fastest: the bundle is mostly compressed libraries already
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "--build", str(root), str(target)],
                       check=True, stdout=subprocess.DEVNULL)
    say(f"deb {target}: {target.stat().st_size / 2 ** 20:.0f} MiB")
    return target


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="build.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="what", required=True)
    b = sub.add_parser("bundle", help="the one-folder bundle (PyInstaller)")
    b.add_argument("--dist", type=Path, default=ROOT / "dist")
    d = sub.add_parser("deb", help="a .deb from the bundle")
    d.add_argument("--bundle", type=Path, help="a bundle already built (else one is built into --out)")
    d.add_argument("--version", help="the package's version (default pyproject's + the commit count)")
    d.add_argument("--out", type=Path, default=ROOT / "dist")
    a = p.parse_args(argv)
    if a.what == "bundle":
        bundle(a.dist.resolve())
        return 0
    bundle_dir = a.bundle.resolve() if a.bundle else bundle(a.out.resolve())
    deb(bundle_dir, a.out.resolve(), a.version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
