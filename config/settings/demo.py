"""The demo (`make demo`, `make screenshots`): the embedded set-up of base.py as a visitor meets it.

DEBUG is off, so a missing page, a refusal or a crash shows the branded 404/403/400/500 page with its way
home, never Django's debug page with the URL list or a traceback. `runserver --insecure` (Procfile) still
serves the static files, which Django leaves to a web server once DEBUG is off.
"""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, env

DEBUG = False
# The demo command refuses to run where DEBUG is off (a production database?) unless this says "demo".
CASEWORK_DEMO = True

# `make demo HOST=...`: the address the demo listens on is one it answers to. Listening on every interface
# (0.0.0.0, ::) is a deliberate choice to show the demo on the network, so any name is accepted then.
_demo_host = env("DEMO_HOST", default="127.0.0.1")
ALLOWED_HOSTS = ["*"] if _demo_host in ("0.0.0.0", "::") else [*ALLOWED_HOSTS, _demo_host]  # noqa: S104

# django-axes prints "AXES: BEGIN version …" from every process (each command, web, worker, beat): noise in
# the demo's output that a newcomer takes for a problem. Lockouts work the same.
AXES_VERBOSE = False
