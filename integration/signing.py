"""The signature of a push and of a department's feedback: HMAC-SHA256 over "<timestamp>.<body>".

Signing the timestamp with the body lets a receiver refuse an old message replayed by someone who recorded it
(`MAX_SKEW_SECONDS`); the delivery id in `X-Casework-Delivery` is the deduplication key for our own retries.
"""

import hashlib
import hmac

HEADER_DELIVERY = "X-Casework-Delivery"
HEADER_EVENT = "X-Casework-Event"
HEADER_TIMESTAMP = "X-Casework-Timestamp"
HEADER_SIGNATURE = "X-Casework-Signature"
HEADER_DEPARTMENT = "X-Casework-Department"  # feedback only: whose secret signed it
MAX_SKEW_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def signature_valid(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")
