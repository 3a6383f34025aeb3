"""Helper for `make demo`: port check, the banner with URLs and logins, and a "ready" signal.

    python scripts/demo_ready.py --check-port --host H --port P   exit 1 if the port is taken
    python scripts/demo_ready.py --banner --host H --port P       print URLs and demo logins now
    python scripts/demo_ready.py --wait --host H --port P         (Procfile) wait for the web server,
                                                                   print the banner, then idle until stopped
    python scripts/demo_ready.py --wait-only --host H --port P    wait for the web server, exit 0 when it
                                                                   answers (1 after the time limit)

The banner is printed again once the server answers because the worker's and beat's start-up output
pushes the first one off the screen. The waiting process must not exit: honcho stops every process when
one of them ends.
"""

import argparse
import signal
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

LOGINS = Path(__file__).resolve().parent.parent / "var" / "demo-logins.txt"
WAIT_SECONDS = 120


def login_lines() -> list[str]:
    """The logins from the recorded `manage.py demo` output: from its "Logins" heading on, else all of it."""
    text = LOGINS.read_text(encoding="utf-8").rstrip() if LOGINS.exists() else ""
    if not text.strip():
        return ["(none recorded: run `make demo` again, or `.venv/bin/python manage.py demo`)"]
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().lower().startswith("logins")), 0)
    return lines[start:]


def banner(host: str, port: int, with_logins: bool) -> str:
    base = f"http://{host}:{port}"
    lines = [
        "=" * 72,
        "Credit casework demo",
        f"  Web       {base}/",
        f"  API docs  {base}/api/docs/   (API {base}/api/v1/, schema {base}/api/schema/)",
        f"  Admin     {base}/admin/",
        "",
    ]
    where = LOGINS.relative_to(LOGINS.parent.parent)
    if with_logins:
        lines += ["  " + line for line in login_lines()]
        lines += ["", f"  (the whole `manage.py demo` output is in {where})"]
    else:
        lines.append(f"Demo logins: printed above by `manage.py demo`, kept in {where}, and printed again")
        lines.append("once the web server answers.")
    lines += [
        "",
        "Try this first:",
        f"  1. {base}/ as demo-company: 我的信用记录 → 提出异议 on a record, then follow the case page.",
        "  2. As demo-credit: the queue → the new case → 认领 → 受理; demo-market then verifies it.",
        "  3. As demo-supervisor: the overdue board (8 months of history) → 重新分派; dashboards; the monthly",
        "     report as PDF. Every demo password is in the table above.",
        "",
        "Ctrl-C stops all four processes: the web server, the worker, beat and this banner.",
        "=" * 72,
    ]
    return "\n".join(lines)


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def answers(host: str, port: int) -> bool:
    try:
        # Our own server on a loopback address: no scheme or host comes from outside.
        urllib.request.urlopen(f"http://{host}:{port}/admin/login/", timeout=2)  # noqa: S310
    except urllib.error.HTTPError:
        return True  # any HTTP status means the server is up
    except (urllib.error.URLError, OSError):
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser()
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check-port", action="store_true")
    mode.add_argument("--banner", action="store_true")
    mode.add_argument("--wait", action="store_true")
    mode.add_argument("--wait-only", action="store_true")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()

    if args.check_port:
        if port_free(args.host, args.port):
            return 0
        free = next((p for p in range(args.port + 1, args.port + 200) if port_free(args.host, p)), 8123)
        print(
            f"error: {args.host}:{args.port} is already in use; choose another port: make demo PORT={free}",
            file=sys.stderr,
        )
        return 1

    if args.banner:
        print(banner(args.host, args.port, with_logins=False), flush=True)
        return 0

    deadline = time.monotonic() + WAIT_SECONDS
    if args.wait_only:
        while not answers(args.host, args.port):
            if time.monotonic() > deadline:
                print(
                    f"web server not answering on {args.host}:{args.port} after {WAIT_SECONDS}s",
                    file=sys.stderr,
                )
                return 1
            time.sleep(0.5)
        return 0
    while not answers(args.host, args.port):
        if time.monotonic() > deadline:
            print(f"web server not answering on {args.host}:{args.port} after {WAIT_SECONDS}s", flush=True)
            break
        time.sleep(0.5)
    else:
        print("web server is up\n" + banner(args.host, args.port, with_logins=True), flush=True)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        signal.pause()


if __name__ == "__main__":
    sys.exit(main())
