"""The office's pre-printed receipt form with a receipt printed on it values only (套打):
the scanned stock (tests/data/stock) multiplied with the template's print of the demo's
receipt, as the form comes out of the printer.

    python docs/screenshots/stock_print.py OUT.png"""
import datetime
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageChops  # noqa: E402

from printing import receipt  # noqa: E402
from printing.furniture import Letterhead  # noqa: E402
from tests.data.stock import stock  # noqa: E402


def main(out: str) -> None:
    pdf = receipt.render(receipt.sample(datetime.date(2026, 12, 3)), Letterhead(""), template=stock.fitted(),
                         carbonless=True, plain=False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "print.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(Path(folder) / "print")],
                       check=True)
        scan = Image.open(stock.SCAN).convert("RGB")
        printed = Image.open(Path(folder) / "print.png").convert("RGB").resize(scan.size)
        ImageChops.multiply(scan, printed).save(out)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1])
