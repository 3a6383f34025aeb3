"""Login throttling (django-axes) for every sign-in through a web form: the site's login and the admin's.

Axes refuses to authenticate without the HTTP request (it throttles per username and address). Sign-ins that
have no request (the test client's `login()`, a management shell) are not reachable from outside, so they
pass straight to the next backend instead of failing.
"""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
