import datetime as dt
import os

import pytest

from matching import read_needs, read_offers

DEV = os.path.join(os.path.dirname(__file__), "..", "..", "data", "match-dev")
AS_OF = dt.date(2018, 3, 1)


@pytest.fixture(scope="session")
def dev():
    return (read_needs(os.path.join(DEV, "needs.jsonl")),
            read_offers(os.path.join(DEV, "offers.jsonl")))
