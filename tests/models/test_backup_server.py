"""On a server database the office backs up on the server: EstateDesk says so plainly,
writes nothing into the folder, and does not remind about backups it cannot make. (The
backup files themselves are tested on the SQLite leg: they hold an SQLite database.)"""
import pytest

from models import backup
from models.backup import BackupError
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="a server database: the PostgreSQL leg runs this")


def test_a_server_database_is_backed_up_on_the_server(database, tmp_path):
    with pytest.raises(BackupError, match="on the server"):
        backup.create(tmp_path)
    assert list(tmp_path.iterdir()) == [] and backup.reminder_due() is None
