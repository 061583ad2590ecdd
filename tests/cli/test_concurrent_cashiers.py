"""Four counters at once: four cashier processes on one database (PostgreSQL in the
server leg, the SQLite file otherwise), 2,000 payments in all, some on the same charges.
No receipt number is doubled or missing, no charge is paid twice, and the books hold."""
import subprocess
import sys
from pathlib import Path

import pytest

from models import billing, db, estate, fees, users
from models import cashier as desk
from tests.cli.test_crash_safety import check_books

ROOT = Path(__file__).resolve().parents[2]
PER_CASHIER = 500

CHILD = r"""
import random, sys
sys.path.insert(0, {root!r})
from models import cashier, db, users
from models.cashier import Pick
db.connect({url!r})
rng = random.Random({seed})
me = users.User.get(users.User.username == {name!r})
houses = [h[0] for h in db.database.execute_sql("SELECT id FROM house").fetchall()]
done = 0
while done < {n}:
    house = rng.choice(houses)
    lines = cashier.owed(me, house)
    picks = [Pick(l.charge.id, min(l.total, rng.choice([100, 2500]))) for l in lines[:1]]
    try:
        cashier.take_payment(me, house, picks, "wechat", prepay=0 if picks else 100)
    except cashier.OfficeError:
        continue  # another counter paid that charge first: refused whole, nothing written
    done += 1
print("done", done, flush=True)
"""


@pytest.mark.slow
def test_four_cashiers_at_once_never_double_or_lose_a_number(db_url, admin, supervisor):
    import datetime

    fees.update_item(supervisor, "service", unit_price="2.5")
    b = estate.create_building(admin, "1")
    u = estate.create_unit(admin, b.id, "1")
    for n in range(1, 7):
        h = estate.create_house(admin, u.id, number=f"{n}01", area="89.50")
        estate.update_house(admin, h.id, handover_date=datetime.date(2026, 1, 1))
    fees.subscribe_many(supervisor, "service", estate.house_ids(admin))
    names = [f"cashier{i}" for i in range(4)]
    for name in names:
        users.create_user(admin, name, "secret1", ["cashier"])
    for period in ("2026-01", "2026-02", "2026-03"):
        billing.post(admin, period)
    db.close()

    children = [subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), url=db_url, seed=i, name=name,
                                                                      n=PER_CASHIER)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for i, name in enumerate(names)]
    for child in children:
        out, err = child.communicate(timeout=900)
        assert child.returncode == 0 and out.split() == ["done", str(PER_CASHIER)], err[-3000:]

    db.connect(db_url)
    receipts = desk.Receipt.select()
    assert receipts.count() == 4 * PER_CASHIER
    numbers = sorted(r.number for r in receipts)
    assert numbers == list(range(1, 4 * PER_CASHIER + 1))  # none doubled, none missing
    assert {r.cashier.username for r in receipts} == set(names)
    check_books()  # and no charge paid beyond its amount
