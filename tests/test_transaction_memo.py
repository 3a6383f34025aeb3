"""`casework.txmemo`: a value lives for the rest of its unit of work and transaction, never longer; and the history chain that
relies on it stays whole when a savepoint is rolled back (ADR 0001)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casework import txmemo
from casework.models import Case, HistoryEvent
from casework.services.history import history_record
from casework.services.history_verify import history_verify
from casework.services.transitions import lock, lock_pk

from .world import build_world, file_objection


@pytest.mark.django_db(transaction=True)
def test_nothing_is_remembered_outside_a_unit_of_work():
    """A test, a data migration or the demo runs many operations in one transaction: each reads afresh."""
    with transaction.atomic():
        assert txmemo.remember("k", 1) == 1
        assert txmemo.recall("k") is None
        with txmemo.unit():
            txmemo.remember("k", 1)
            assert txmemo.recall("k") == 1
        assert txmemo.recall("k") is None  # the unit ended


@pytest.mark.django_db(transaction=True)
def test_a_value_lives_until_its_transaction_ends():
    with transaction.atomic(), txmemo.unit():
        assert txmemo.remember("k", 1) == 1
        assert txmemo.recall("k") == 1
        assert txmemo.memo("k", lambda: 2) == 1  # not computed again
    with transaction.atomic(), txmemo.unit():
        assert txmemo.recall("k") is None  # committed: gone
    assert txmemo.recall("k") is None  # outside a transaction nothing is remembered
    assert txmemo.remember("k", 3) == 3 and txmemo.recall("k") is None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_or_savepoint_forgets_what_it_remembered():
    with pytest.raises(RuntimeError), transaction.atomic(), txmemo.unit():
        txmemo.remember("k", 1)
        raise RuntimeError
    with transaction.atomic(), txmemo.unit():
        assert txmemo.recall("k") is None
        txmemo.remember("outer", "kept")
        try:
            with transaction.atomic():
                txmemo.remember("inner", "undone")
                txmemo.remember("outer", "replaced in the savepoint")
                raise RuntimeError
        except RuntimeError:
            pass
        assert txmemo.recall("inner") is None
        # The replacement was undone with its savepoint; the value from before it is not trusted either.
        assert txmemo.recall("outer") is None
        with transaction.atomic():  # a released savepoint keeps what it remembered
            txmemo.remember("released", 1)
        assert txmemo.recall("released") == 1


@pytest.mark.django_db
def test_the_history_chain_survives_a_rolled_back_savepoint(admin_api):
    world = build_world(admin_api)
    case = Case.objects.get(number=file_objection(world).json()["number"])
    with transaction.atomic(), txmemo.unit():
        history_record(target=case, action="first", actor=None, case=case)
        try:
            with transaction.atomic():
                history_record(target=case, action="undone", actor=None, case=case)
                history_record(target=case, action="undone too", actor=None, case=case)
                raise RuntimeError
        except RuntimeError:
            pass
        history_record(target=case, action="after", actor=None, case=case)
        history_record(target=case, action="and again", actor=None, case=case)
    stream = HistoryEvent.objects.filter(stream=f"case:{case.number}").order_by("seq")
    assert list(stream.values_list("action", flat=True)) == ["filed", "first", "after", "and again"]
    assert history_verify().ok


@pytest.mark.django_db(transaction=True)
def test_work_left_to_the_end_of_a_unit_runs_once_inside_its_transaction_without_rolled_back_items():
    """Issue 13: a unit's rows are written together just before its commit; an item of a rolled-back
    savepoint never happened, and outside a unit nothing is deferred."""
    done: list[list] = []
    with transaction.atomic():
        assert not txmemo.at_end(done.append, "outside a unit")
        with txmemo.unit():
            assert txmemo.at_end(done.append, 1)
            try:
                with transaction.atomic():
                    txmemo.at_end(done.append, "undone")
                    raise RuntimeError
            except RuntimeError:
                pass
            txmemo.at_end(done.append, 2)
            assert done == []
        assert done == [[1, 2]]  # still inside the transaction
    with pytest.raises(RuntimeError), transaction.atomic(), txmemo.unit():
        txmemo.at_end(done.append, "rolled back with its unit")
        raise RuntimeError
    assert done == [[1, 2]]


@pytest.mark.django_db(transaction=True)
def test_a_units_history_is_one_insert_and_a_read_of_the_history_inside_the_unit_sees_it(admin_api):
    world = build_world(admin_api)
    case = Case.objects.get(number=file_objection(world).json()["number"])
    stream = HistoryEvent.objects.filter(stream=f"case:{case.number}").order_by("seq")
    with CaptureQueriesContext(connection) as captured, transaction.atomic(), txmemo.unit():
        history_record(target=case, action="first", actor=None, case=case)
        history_record(target=case, action="second", actor=None, case=case)
        assert list(stream.values_list("action", flat=True))[-2:] == ["first", "second"]
        history_record(target=case, action="third", actor=None, case=case)
    inserts = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('INSERT INTO "casework_historyevent"')
    ]
    assert len(inserts) == 2  # the two before the read, then the third at the end
    assert list(stream.values_list("action", flat=True)) == ["filed", "first", "second", "third"]
    assert history_verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_unit_locks_a_case_once_and_works_on_that_copy(admin_api):
    world = build_world(admin_api)
    case = Case.objects.get(number=file_objection(world).json()["number"])
    with transaction.atomic(), txmemo.unit():
        with CaptureQueriesContext(connection) as captured:
            first = lock(case)
            again = lock_pk(Case, case.pk)
        assert again is first and len(captured) == 1
    with transaction.atomic():  # outside a unit every lock reads the row
        assert lock(case) is not lock(case)
