"""The installed bundle against the source run: its size on disk against the Python
environment the source runs in, and its start to the sign-in window and to the main window
(signed in) against `python main.py` on the same estate, interleaved in the same run, with
a bare QMainWindow started from Python as the baseline of both.

    .venv/bin/python bench/run.py --only bundle [--bundle dist/EstateDesk]

The bundle is built into bench/out/bundle (python3 packaging/build.py bundle) when none
is named.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def site_packages() -> Path:
    import sysconfig

    return Path(sysconfig.get_paths()["purelib"])


def bench_bundle(path: Path, bundle: Path | None, bare_start: str, rounds: int = 11) -> None:
    if bundle is None:
        out = ROOT / "bench" / "out" / "bundle"
        bundle = out / "EstateDesk"
        if not (bundle / "EstateDesk").exists():
            subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "bundle", "--dist", str(out)],
                           check=True, stdout=subprocess.DEVNULL)
    exe = bundle / ("EstateDesk.exe" if sys.platform == "win32" else "EstateDesk")
    ours = size_of(bundle)
    env_size = size_of(site_packages()) + size_of(Path(sys.base_prefix) / "lib" / f"python3.{sys.version_info.minor}")
    print(f"bundle size: {ours / 2 ** 20:.0f} MiB; the source's Python with its site-packages "
          f"{env_size / 2 ** 20:.0f} MiB; ratio {ours / env_size:.2f}×")

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ESTATEDESK_EXIT_WHEN_SHOWN="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    signed_in = dict(env, ESTATEDESK_LOGIN="wang:demo1234")

    def timed(cmd, environment) -> float:
        t = time.time_ns()
        r = subprocess.run(cmd, env=environment, check=True, capture_output=True, text=True, timeout=120)
        shown = [int(line.split()[1]) for line in r.stdout.splitlines() if line.startswith("shown ")]
        return (shown[-1] - t) / 1e9

    source = [sys.executable, str(ROOT / "main.py"), "--db", str(path)]
    built = [str(exe), "--db", str(path)]
    bare = [sys.executable, "-c", bare_start]
    cases = {"bare": (bare, env), "source": (source, env), "bundle": (built, env),
             "source signed in": (source, signed_in), "bundle signed in": (built, signed_in)}
    for cmd, environment in cases.values():
        timed(cmd, environment)  # untimed: bytecode written, files in the page cache
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):  # interleaved, so drift hits all alike
        for name, (cmd, environment) in cases.items():
            times[name].append(timed(cmd, environment))
    m = {name: statistics.median(v) for name, v in times.items()}
    print(f"start to the sign-in window: bundle {m['bundle'] * 1000:.0f} ms, source {m['source'] * 1000:.0f} ms "
          f"(bundle/source {m['bundle'] / m['source']:.2f}×); bare QMainWindow {m['bare'] * 1000:.0f} ms "
          f"(bundle/bare {m['bundle'] / m['bare']:.2f}×, source/bare {m['source'] / m['bare']:.2f}×)")
    print(f"start to the main window, signed in: bundle {m['bundle signed in'] * 1000:.0f} ms, source "
          f"{m['source signed in'] * 1000:.0f} ms (bundle/source "
          f"{m['bundle signed in'] / m['source signed in']:.2f}×)")
