"""`manage.py issue_token USERNAME`: a new API token for a user (the old one stops working); the token is
printed alone on the last line, like `add_user`'s."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casework.api.tokens import token_issue
from casework.models import User


class Command(BaseCommand):
    help = "Issue a new API token for a user (revoking the old one) and print it on the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user is called “%(username)s”.") % {"username": username})
        key = token_issue(user)
        self.stdout.write(_("New API token for “%(username)s”:") % {"username": username})
        self.stdout.write(key)
