"""The Qt binding itself must last a day at the desk.

PySide6 6.12.0 on CPython 3.11 dropped a reference to None on every call of a Qt method
that returns nothing (setText, setGeometry …); after some thousands of calls the program
aborted with "Fatal Python error: none_dealloc". A clerk's day makes far more calls than
that, so the binding the project pins is checked here, in a process of its own.
"""
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication, QLabel, QPushButton
    app = QApplication([])
    button, label = QPushButton(), QLabel()
    before = sys.getrefcount(None)
    for n in range(200_000):
        button.setText(str(n % 10))
        label.setText("x")
        button.setEnabled(bool(n % 2))
    print(sys.getrefcount(None) - before)
""")


def test_a_days_worth_of_qt_calls_neither_aborts_nor_leaks():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-500:]
    # 600,000 calls: a leak of one reference each would show as hundreds of thousands
    assert abs(int(done.stdout.strip().splitlines()[-1])) < 1000
