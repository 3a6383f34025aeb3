"""Signatures between our system and the departments' systems, HMAC-SHA256 with the endpoint's secret.

- A **push** (we → them) is signed over "<timestamp>.<body>"; the delivery id in `X-Casework-Delivery` is the
  receiver's deduplication key for our own retries.
- **Feedback** (them → us) is signed over the method, the path, the timestamp, a one-time nonce and the body
  (`request_signing_input`). The path binds the report to one sanction (a recorded report cannot be replayed
  onto another), the nonce is remembered for the whole window (`feedback_nonce_fresh`), so a recorded request
  cannot be replayed onto the same sanction either, and timestamps outside
  [now - MAX_SKEW_SECONDS, now + MAX_FUTURE_SKEW_SECONDS] are refused.

Header values reach us as latin-1-decoded text: signatures are compared as bytes (`hmac.compare_digest` on a
non-ASCII `str` raises), and timestamps are parsed only when they are a short run of digits.
"""

import hashlib
import hmac
import re

from django.core.cache import cache

HEADER_DELIVERY = "X-Casework-Delivery"
HEADER_EVENT = "X-Casework-Event"
HEADER_TIMESTAMP = "X-Casework-Timestamp"
HEADER_SIGNATURE = "X-Casework-Signature"
HEADER_DEPARTMENT = "X-Casework-Department"  # feedback only: whose secret signed it
HEADER_NONCE = "X-Casework-Nonce"  # feedback only: a fresh random value per request
MAX_SKEW_SECONDS = 300  # how old a signed request may be
MAX_FUTURE_SKEW_SECONDS = 30  # how far ahead a sender's clock may run
NONCE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,128}")
TIMESTAMP_PATTERN = re.compile(r"[0-9]{1,12}")  # Unix seconds; 12 digits reach the year 33658


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The push signature: `sha256=<hex HMAC of "<timestamp>.<body>">`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def signature_valid(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return _same(sign(secret, timestamp, body), signature)


def request_signing_input(*, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    """What a feedback request signs: "<METHOD>\\n<path>\\n<timestamp>\\n<nonce>\\n" then the raw body.

    `path` is the request path as sent (e.g. `/api/v1/sanctions/<id>/feedback/`), with `?<query>` if any.
    """
    head = f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n"
    return head.encode("utf-8", "surrogateescape") + body


def sign_request(secret: str, *, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The feedback signature: `sha256=<hex HMAC-SHA256 of request_signing_input(...)>`."""
    data = request_signing_input(method=method, path=path, timestamp=timestamp, nonce=nonce, body=body)
    return f"sha256={hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()}"


def request_signature_valid(secret: str, signature: str, **signed) -> bool:
    return _same(sign_request(secret, **signed), signature)


def timestamp_fresh(timestamp: str, now: float) -> bool:
    """A short run of digits within the window; anything else (400 digits, a sign, a fraction) is stale."""
    if not TIMESTAMP_PATTERN.fullmatch(timestamp or ""):
        return False
    age = now - int(timestamp)
    return -MAX_FUTURE_SKEW_SECONDS <= age <= MAX_SKEW_SECONDS


def nonce_well_formed(nonce: str) -> bool:
    return bool(NONCE_PATTERN.fullmatch(nonce or ""))


def feedback_nonce_fresh(department_code: str, nonce: str) -> bool:
    """Remember the nonce for the whole window; False if this department used it before (a replay).

    `cache.add` is atomic on every backend, so two copies of one request racing each other cannot both pass.
    Production keeps the cache in Redis (CACHE_URL), shared by every web process.
    """
    window = MAX_SKEW_SECONDS + MAX_FUTURE_SKEW_SECONDS + 60
    key = "feedback-nonce:" + hashlib.sha256(f"{department_code}\n{nonce}".encode()).hexdigest()
    return cache.add(key, 1, timeout=window)


def _same(expected: str, given: str) -> bool:
    """Constant-time comparison of bytes: a header may carry any character, never a 500."""
    return hmac.compare_digest(expected.encode(), (given or "").encode("utf-8", "surrogateescape"))
