"""`manage.py revoke_token USERNAME`: the user's API token stops working at once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casework.api.tokens import token_revoke
from casework.models import User


class Command(BaseCommand):
    help = "Revoke a user's API token."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user is called “%(username)s”.") % {"username": username})
        if token_revoke(user):
            self.stdout.write(_("The API token of “%(username)s” is revoked.") % {"username": username})
        else:
            self.stdout.write(_("“%(username)s” had no API token.") % {"username": username})
