"""Push (信息推送): results and sanction changes to the national platform and the implementing departments.

A `Delivery` row per (event, endpoint) is written in the transaction of the event, so it exists if and only if
the event does, and is sent after commit. A send leaves our database, so it is *leased* like the outbox's
e-mail channel: `sending` is committed before the HTTP POST and the outcome after it. A worker that dies in
between leaves a lease that runs out; the delivery is then sent again with the same delivery id, which the
receiver uses to drop the duplicate. Failures retry with exponential back-off from the beat sweep.
"""

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import events, outbox, txmemo
from casework.exceptions import Conflict
from casework.models import Case, Sanction, User

from .models import Delivery, DeliveryAttempt, DeliveryState, Endpoint
from .signing import HEADER_DELIVERY, HEADER_EVENT, HEADER_SIGNATURE, HEADER_TIMESTAMP, sign

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10  # 2, 4 … 1024 minutes apart: about 34 hours of a receiver being down

SANCTION_EVENTS = {
    "create": "sanction.created",
    "suspend": "sanction.suspended",
    "resume": "sanction.resumed",
    "revoke": "sanction.revoked",
    "lift": "sanction.lifted",
}
# The case results pushed (Turpan §16: 「及时将修复结果推送至全国信用信息共享平台」), by the subject's notice.
CASE_RESULT_EVENTS = {
    "repair_granted": "repair.granted",
    "repair_rejected": "repair.rejected",
    "objection_upheld": "objection.upheld",
    "objection_corrected": "objection.corrected",
    "objection_deleted": "objection.deleted",
    "objection_supplemented": "objection.supplemented",
    "objection_publication_stopped": "objection.publication_stopped",
    "objection_removed_from_list": "objection.removed_from_list",
    "list_exit_removed": "list_exit.removed",
    "list_exit_rejected": "list_exit.rejected",
    "bankruptcy_shielded": "bankruptcy.shielded",
    "bankruptcy_refused": "bankruptcy.refused",
    "bankruptcy_repaired": "bankruptcy.repaired",
}


def _endpoints(department_ids) -> list[Endpoint]:
    ids = tuple(sorted(set(department_ids)))

    def read() -> list[Endpoint]:
        return list(
            Endpoint.objects.filter(Q(national=True) | Q(department_id__in=ids), active=True)
            .select_related("department")
            .order_by("id")
        )

    # One transition pushes several changes to the same platforms: their endpoints are read once.
    return txmemo.memo(("endpoints", ids), read)


def _queue(*, event: str, endpoints, data: dict, division: str, case_number: str = "", sanction=None):
    deliveries = _deliveries(
        event=event,
        endpoints=endpoints,
        data=data,
        division=division,
        case_number=case_number,
        sanction=sanction,
    )
    Delivery.objects.bulk_create(deliveries)
    outbox.enqueue_many(OUTBOX_KIND, [delivery.pk for delivery in deliveries])
    return deliveries


def _deliveries(
    *, event: str, endpoints, data: dict, division: str, case_number: str = "", sanction=None
) -> list[Delivery]:
    """The unsaved deliveries of one event, one per endpoint (the payload names each delivery's id)."""
    now = timezone.now()
    deliveries = []
    for endpoint in endpoints:
        delivery = Delivery(
            endpoint=endpoint,
            department=endpoint.department_label,
            event=event,
            division=division,
            case_number=case_number,
            sanction=sanction,
            next_attempt_at=now,
        )
        delivery.payload = {
            "delivery_id": str(delivery.public_id),
            "event": event,
            "occurred_at": now.isoformat(),
            "data": data,
        }
        deliveries.append(delivery)
    return deliveries


def _sanction_data(sanction: Sanction, case_number: str, note: str) -> dict:
    record = sanction.record
    subject = record.subject
    return {
        "sanction": str(sanction.public_id),
        "measure": sanction.measure,
        "implementer": sanction.implementer.code,
        "state": sanction.state,
        "record": str(record.public_id),
        "record_kind": record.kind,
        "provider": record.provider.code,
        # The platforms identify subjects by the full code (the exchange the law provides for).
        "subject": {"kind": subject.kind, "code": subject.code, "name": subject.name},
        "case": case_number or None,
        "note": str(note or ""),
    }


def push_sanction_event(*, sanction: Sanction, name: str, case_number: str, note: str = "") -> list[Delivery]:
    """Queue a sanction's change for the national platform and its implementer, in the caller's transaction."""
    return _queue(
        event=SANCTION_EVENTS[name],
        endpoints=_endpoints([sanction.implementer_id]),
        data=_sanction_data(sanction, case_number, note),
        division=sanction.record.subject.division,
        case_number=case_number,
        sanction=sanction.public_id,
    )


def push_sanction_events(changes: list[tuple[Sanction, str, str, str]]) -> list[Delivery]:
    """`push_sanction_event` for many (sanction, change, case number, note) at once (a sweep lifting the measures of
    many listings): the same deliveries, with the endpoints read once and the rows written in one insert."""
    if not changes:
        return []
    endpoints = _endpoints({sanction.implementer_id for sanction, *_ in changes})
    rows: list[Delivery] = []
    for sanction, name, case_number, note in changes:
        rows += _deliveries(
            event=SANCTION_EVENTS[name],
            endpoints=[p for p in endpoints if p.national or p.department_id == sanction.implementer_id],
            data=_sanction_data(sanction, case_number, note),
            division=sanction.record.subject.division,
            case_number=case_number,
            sanction=sanction.public_id,
        )
    Delivery.objects.bulk_create(rows)
    outbox.enqueue_many(OUTBOX_KIND, [delivery.pk for delivery in rows])
    return rows


def push_case_result_on(event: events.CaseEvent) -> list[Delivery]:
    """Subscriber to the case events (integration/apps.py): a case result goes to the platforms, queued in
    the publishing transaction."""
    if event.name not in CASE_RESULT_EVENTS:
        return []
    # The copy the publishing unit of work holds (with its subject and rule set), else a fresh read.
    case = txmemo.row(Case, event.case_id, related=("subject", "rule_set"))
    return push_case_result(case=case, event=event.name, context={"reason": getattr(event, "reason", "")})


def push_case_result(*, case: Case, event: str, context: dict) -> list[Delivery]:
    """Queue a case result, if `event` is one, for the national platform and the departments implementing
    sanctions on the case's records."""
    if event not in CASE_RESULT_EVENTS:
        return []
    records = list(case.records.select_related("provider").order_by("id"))
    implementers = Sanction.objects.filter(record__in=records).values_list("implementer_id", flat=True)
    data = {
        "case": case.number,
        "kind": case.kind,
        "state": case.state,
        "outcome": case.outcome or None,
        "subject": {"kind": case.subject.kind, "code": case.subject.code, "name": case.subject.name},
        "records": [
            {"id": str(r.public_id), "kind": r.kind, "provider": r.provider.code, "publicity": r.publicity}
            for r in records
        ],
        "reason": context.get("reason", ""),
        "rule_set": case.rule_set.version,
    }
    return _queue(
        event=CASE_RESULT_EVENTS[event],
        endpoints=_endpoints(set(implementers)),
        data=data,
        division=case.subject.division,
        case_number=case.number,
    )


def push_accountability_on(event: events.Event) -> list[Delivery]:
    """Subscriber (integration/apps.py): a publication that ended by itself and a history checkpoint go to the
    national platform (and a record's provider), queued in the publishing transaction."""
    if isinstance(event, events.RecordPublicationEnded):
        return push_platform_event(
            event="record.publication_ended",
            data=json.loads(event.platform),
            division=event.division,
            department_ids=[event.provider_id],
        )
    if isinstance(event, events.HistoryCheckpointed):
        data = {
            k: getattr(event, k) for k in ("seq", "at", "streams", "events", "root", "digest", "prev_digest")
        }
        return push_platform_event(event="history.checkpoint", data=data)
    return []


def push_accountability_many(published: list[events.Event]) -> list[Delivery]:
    """`push_accountability_on` for many events (`events.publish_many`, the publication sweep): the same
    deliveries, with the endpoints read once and the rows written in one insert."""
    ended = [e for e in published if isinstance(e, events.RecordPublicationEnded)]
    others = [e for e in published if not isinstance(e, events.RecordPublicationEnded)]
    deliveries = [d for e in others for d in push_accountability_on(e)]
    if not ended:
        return deliveries
    endpoints = _endpoints({e.provider_id for e in ended})
    rows = []
    for e in ended:
        rows += _deliveries(
            event="record.publication_ended",
            endpoints=[p for p in endpoints if p.national or p.department_id == e.provider_id],
            data=json.loads(e.platform),
            division=e.division,
        )
    Delivery.objects.bulk_create(rows)
    outbox.enqueue_many(OUTBOX_KIND, [delivery.pk for delivery in rows])
    return deliveries + rows


def push_platform_event(*, event: str, data: dict, division: str = "", department_ids=()) -> list[Delivery]:
    """Queue an event that belongs to no case or sanction (a publication ended by its period, a history
    checkpoint) for the national platform and the given departments, in the caller's transaction."""
    return _queue(event=event, endpoints=_endpoints(department_ids), data=data, division=division)


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status, which _post returns


def _post(delivery: Delivery, endpoint: Endpoint) -> int:
    """POST the signed payload; the HTTP status (2xx = delivered). Raises on a network error."""
    if not endpoint.url.startswith(("http://", "https://")):
        raise ValueError("Endpoints are HTTP(S) URLs.")
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            HEADER_DELIVERY: str(delivery.public_id),
            HEADER_EVENT: delivery.event,
            HEADER_TIMESTAMP: timestamp,
            HEADER_SIGNATURE: sign(endpoint.secret, timestamp, body),
        },
    )
    # No proxy from the environment: deliveries go straight to the configured endpoint. No redirect is
    # followed: a 3xx is an answer that is not 2xx (retried), and the signed headers never go elsewhere.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _RefuseRedirects())
    try:
        with opener.open(request, timeout=settings.INTEGRATION_PUSH_TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


class PushRejected(Exception):
    """The receiver answered, but not 2xx (a redirect included: a POST is never followed elsewhere)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status
        self.summary = f"HTTP {status}"


def _send(delivery: Delivery) -> None:
    delivery.last_status = None  # stays None when the receiver cannot be reached at all
    delivery.last_status = _post(delivery, Endpoint.objects.get(pk=delivery.endpoint_id))
    if not 200 <= delivery.last_status < 300:
        raise PushRejected(delivery.last_status)


def _after_attempt(
    claimed: Delivery, locked: Delivery, error: BaseException | None, duration_ms: int
) -> None:
    """Every attempt is logged with its status, whatever the outcome (the searchable delivery log)."""
    network_error = error is not None and not isinstance(error, PushRejected)
    DeliveryAttempt.objects.create(
        delivery=locked,
        at=timezone.now(),
        status=claimed.last_status,
        error=repr(error)[:2000] if network_error else "",
        duration_ms=duration_ms,
        replay=claimed.replay_requested,
    )
    locked.last_status, locked.replay_requested = claimed.last_status, False
    if error is not None:
        logger.info("Delivery %s to %s: %r", locked.public_id, locked.department, error)


OUTBOX_KIND = "delivery"


def outbox_kind() -> outbox.OutboxKind:
    return outbox.OutboxKind(
        name=OUTBOX_KIND,
        model=Delivery,
        send=_send,
        after_attempt=_after_attempt,
        lease=lambda: timedelta(seconds=settings.INTEGRATION_PUSH_LEASE_SECONDS),
        max_attempts=MAX_ATTEMPTS,
    )


def delivery_send(delivery_id: int) -> bool:
    """Send one delivery; False if it was not there to send (delivered already, not due, or another worker
    has it) or if this attempt failed (retried with back-off, given up after MAX_ATTEMPTS)."""
    return outbox.deliver(OUTBOX_KIND, delivery_id)


def push_due_ids(limit: int = 500) -> list[int]:
    return outbox.due_ids(OUTBOX_KIND, limit)


def push_dispatch_due() -> int:
    """Beat: send whatever commit-time dispatch missed and whatever is due for a retry."""
    return outbox.sweep(OUTBOX_KIND)


@transaction.atomic
def delivery_replay(*, delivery: Delivery, actor: User) -> Delivery:
    """A supervisor sends one delivery again — same delivery id, so a receiver that has it drops it."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if (
        delivery.state == DeliveryState.SENDING
        and delivery.lease_until
        and delivery.lease_until > timezone.now()
    ):
        raise Conflict(_("This delivery is being sent right now; try again later."), code="delivery_sending")
    delivery.state, delivery.next_attempt_at = DeliveryState.PENDING, timezone.now()
    delivery.replayed_by, delivery.replayed_at, delivery.replay_requested = actor, timezone.now(), True
    delivery.save(
        update_fields=["state", "next_attempt_at", "replayed_by", "replayed_at", "replay_requested"]
    )
    outbox.enqueue(OUTBOX_KIND, delivery.pk)
    return delivery
