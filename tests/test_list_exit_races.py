"""Issue #3: the automatic list exit happens once even when two sweeps run at the same moment."""

import pytest
import time_machine

from casework.models import HistoryEvent, Sanction
from casework.services.list_exit import list_exit_expire_due

from .test_races import race
from .world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sweeps_at_once_end_each_listing_once(admin_api):
    world = build_world(admin_api, kind="serious_list", decided_on="2023-10-09")
    with time_machine.travel("2026-11-23 01:00 +0800", tick=False):
        results = race(lambda: list_exit_expire_due(batch=1), lambda: list_exit_expire_due(batch=1))
    assert sorted(results) == [0, 1]
    assert HistoryEvent.objects.filter(action="listing_expired").count() == 1
    assert HistoryEvent.objects.filter(action="lift").count() == len(world.sanctions)
    assert set(Sanction.objects.values_list("state", flat=True)) == {"lifted"}
