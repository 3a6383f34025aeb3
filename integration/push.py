"""Push (信息推送): results and sanction changes to the national platform and the implementing departments.

A `Delivery` row per (event, endpoint) is written in the transaction of the event, so it exists if and only if
the event does, and is sent after commit. A send leaves our database, so it is *leased* like the outbox's
e-mail channel: `sending` is committed before the HTTP POST and the outcome after it. A worker that dies in
between leaves a lease that runs out; the delivery is then sent again with the same delivery id, which the
receiver uses to drop the duplicate. Failures retry with exponential back-off from the beat sweep.
"""

import functools
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
    "list_exit_removed": "list_exit.removed",
    "list_exit_rejected": "list_exit.rejected",
    "bankruptcy_shielded": "bankruptcy.shielded",
    "bankruptcy_refused": "bankruptcy.refused",
    "bankruptcy_repaired": "bankruptcy.repaired",
}


def _endpoints(department_ids) -> list[Endpoint]:
    return list(
        Endpoint.objects.filter(Q(national=True) | Q(department_id__in=list(department_ids)), active=True)
        .select_related("department")
        .order_by("id")
    )


def _queue(*, event: str, endpoints, data: dict, division: str, case_number: str = "", sanction=None):
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
    Delivery.objects.bulk_create(deliveries)
    for delivery in deliveries:
        transaction.on_commit(functools.partial(_enqueue, delivery.pk))
    return deliveries


def push_sanction_event(
    *, sanction: Sanction, name: str, case: Case | None, note: str = ""
) -> list[Delivery]:
    """Queue a sanction's change for the national platform and its implementer, in the caller's transaction."""
    record = sanction.record
    subject = record.subject
    data = {
        "sanction": str(sanction.public_id),
        "measure": sanction.measure,
        "implementer": sanction.implementer.code,
        "state": sanction.state,
        "record": str(record.public_id),
        "record_kind": record.kind,
        "provider": record.provider.code,
        # The platforms identify subjects by the full code (the exchange the law provides for).
        "subject": {"kind": subject.kind, "code": subject.code, "name": subject.name},
        "case": case.number if case else None,
        "note": str(note or ""),
    }
    return _queue(
        event=SANCTION_EVENTS[name],
        endpoints=_endpoints([sanction.implementer_id]),
        data=data,
        division=subject.division,
        case_number=case.number if case else "",
        sanction=sanction.public_id,
    )


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


def _enqueue(delivery_id: int) -> None:
    from .tasks import push_deliver_task

    try:
        push_deliver_task.delay(delivery_id)
    except Exception:  # the broker being down loses nothing: the beat sweep sends pending deliveries
        logger.warning("Could not enqueue delivery %s; the periodic sweep will send it.", delivery_id)


def _claimable() -> Q:
    now = timezone.now()
    return Q(state=DeliveryState.PENDING, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, lease_until__lte=now
    )


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


def delivery_send(delivery_id: int) -> bool:
    """Send one delivery; False if it was not there to send (delivered already, or another worker has it)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_claimable(), pk=delivery_id)
            .first()
        )
        if delivery is None:
            return False
        delivery.attempts += 1
        delivery.state = DeliveryState.SENDING
        delivery.lease_until = timezone.now() + timedelta(seconds=settings.INTEGRATION_PUSH_LEASE_SECONDS)
        delivery.save(update_fields=["attempts", "state", "lease_until"])
        replay = delivery.replay_requested
    endpoint = Endpoint.objects.get(pk=delivery.endpoint_id)
    started, status, error = time.monotonic(), None, ""
    try:
        status = _post(delivery, endpoint)
    except Exception as exc:  # unreachable, timed out, reset: retried like a 5xx
        error = repr(exc)[:2000]
    ok = status is not None and 200 <= status < 300
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        DeliveryAttempt.objects.create(
            delivery=delivery,
            at=timezone.now(),
            status=status,
            error=error,
            duration_ms=int((time.monotonic() - started) * 1000),
            replay=replay,
        )
        delivery.last_status, delivery.lease_until, delivery.replay_requested = status, None, False
        if ok:
            delivery.state, delivery.delivered_at, delivery.last_error = (
                DeliveryState.DELIVERED,
                timezone.now(),
                "",
            )
        else:
            delivery.last_error = error or f"HTTP {status}"
            failed = delivery.attempts >= MAX_ATTEMPTS
            delivery.state = DeliveryState.FAILED if failed else DeliveryState.PENDING
            delivery.next_attempt_at = timezone.now() + timedelta(minutes=2**delivery.attempts)
        delivery.save()
    if not ok:
        logger.info("Delivery %s to %s: %s", delivery.public_id, delivery.department, delivery.last_error)
    return ok


def push_due_ids(limit: int = 500) -> list[int]:
    return list(
        Delivery.objects.filter(_claimable()).order_by("next_attempt_at").values_list("id", flat=True)[:limit]
    )


def push_dispatch_due() -> int:
    """Beat: send whatever commit-time dispatch missed and whatever is due for a retry."""
    return sum(delivery_send(delivery_id) for delivery_id in push_due_ids())


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
    transaction.on_commit(functools.partial(_enqueue, delivery.pk))
    return delivery
