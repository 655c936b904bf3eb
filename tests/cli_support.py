"""Running the command line in a test: a fixed day, the working folder, and what it printed."""

from __future__ import annotations

from datetime import date

import pytest

from content_factory import TODAY
from coprod_site import cli


class FixedToday(date):
    """`date` whose today() is the tests' day, so records added 'today' and review dates are fixed."""

    @classmethod
    def today(cls) -> FixedToday:
        return cls(TODAY.year, TODAY.month, TODAY.day)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `coprod-site argv...` in this process: its exit code, what it printed and its errors."""
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err
