"""A department's (or the national platform's) receiving system, as a real HTTP server on 127.0.0.1."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from integration.signing import signature_valid


@dataclass
class Receiver:
    secrets: dict[str, str]  # path → the endpoint's secret
    down: bool = True  # answers 503 while down
    posts: list = field(default_factory=list)  # every request that reached it: (path, delivery id, status)
    accepted: dict = field(default_factory=dict)  # delivery id → payload, deduplicated as a receiver must
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, path: str, headers, body: bytes) -> int:
        delivery = headers.get("X-Casework-Delivery", "")
        with self.lock:
            if self.down:
                status = 503
            elif not signature_valid(
                self.secrets[path], headers["X-Casework-Timestamp"], body, headers["X-Casework-Signature"]
            ):
                status = 401
            else:
                payload = json.loads(body)
                assert payload["delivery_id"] == delivery and payload["event"] == headers["X-Casework-Event"]
                self.accepted.setdefault(delivery, payload)  # a duplicate is acknowledged and dropped
                status = 200
            self.posts.append((path, delivery, status))
        return status


def serve(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = receiver.handle(self.path, self.headers, body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
