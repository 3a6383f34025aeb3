"""`manage.py add_user`: create a user and print their API token alone on the last line (DESIGN contract),
so that scripts can write `TOKEN=$(manage.py add_user … | tail -n 1)`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from casework.identifiers import normalise_code
from casework.models import Department, Role, Subject
from casework.services.registry import user_create

# How each field of `user_create`'s errors is called on this command line.
OPTION_OF_FIELD = {
    "username": "USERNAME",
    "password": "--password",
    "role": "--role",
    "departments": "--department",
    "subjects": "--subject",
    "email": "--email",
    "full_name": "--full-name",
}


class _RollBack(Exception):
    """Undo a `user_create` that succeeded although the command line had other errors."""


class Command(BaseCommand):
    help = (
        "Create a user (subject, reviewer, supervisor or admin) and print their API token on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        # No argparse `choices`: user_create validates the role, so a bad role is reported together with
        # every other field error instead of one at a time.
        parser.add_argument("--role", required=True, metavar="{" + ",".join(Role.values) + "}")
        parser.add_argument(
            "--department",
            action="append",
            default=[],
            dest="departments",
            metavar="CODE",
            help="A department the user works in (reviewer, supervisor); repeat for several.",
        )
        parser.add_argument(
            "--subject",
            action="append",
            default=[],
            dest="subjects",
            metavar="CREDIT_CODE",
            help="A subject the user represents (role subject), by its identifier; repeat for several.",
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--full-name", default="", dest="full_name")

    def handle(self, *args, username, password, role, departments, subjects, email, full_name, **options):
        errors: dict[str, list[str]] = {}
        found_departments = self._lookup(
            Department,
            "code",
            departments,
            errors,
            "departments",
            _("No department has the code “%(code)s”."),
        )
        found_subjects = self._lookup(
            Subject,
            "code",
            [normalise_code(code) for code in subjects],
            errors,
            "subjects",
            _("No subject has the identifier “%(code)s”."),
        )
        try:
            # user_create is run even when the command line already has errors, so that all of them are
            # reported at once; the transaction is then rolled back and nothing is saved.
            with transaction.atomic():
                user, token = user_create(
                    username=username,
                    password=password,
                    role=role,
                    departments=found_departments,
                    subjects=found_subjects,
                    email=email,
                    full_name=full_name,
                )
                if errors:
                    raise _RollBack
        except ValidationError as exc:
            for name, messages in _message_dict(exc).items():
                # A more precise message from the lookups above wins (an unknown code, not "none given").
                errors.setdefault(name, messages)
        except _RollBack:
            pass
        if errors:
            raise CommandError(self._format_errors(username, errors))

        details = [f"{user.get_role_display()}"]
        if found_departments:
            details.append(
                _("departments: %(codes)s") % {"codes": ", ".join(d.code for d in found_departments)}
            )
        if found_subjects:
            details.append(_("subjects: %(names)s") % {"names": ", ".join(s.name for s in found_subjects)})
        self.stdout.write(
            _("Created user “%(username)s” (%(details)s). API token:")
            % {"username": user.username, "details": "; ".join(str(d) for d in details)}
        )
        self.stdout.write(token)

    @staticmethod
    def _lookup(model, field, codes, errors, error_key, message):
        found, missing = [], []
        for code in dict.fromkeys(codes):  # keeps the order, drops repeats
            row = model.objects.filter(**{field: code}).first()
            if row is None:
                missing.append(code)
            else:
                found.append(row)
        for code in missing:
            errors.setdefault(error_key, []).append(message % {"code": code})
        return found

    @staticmethod
    def _format_errors(username, errors):
        lines = [_("User “%(username)s” was not created:") % {"username": username}]
        for name, messages in errors.items():
            for message in messages:
                lines.append(f"  {OPTION_OF_FIELD.get(name, name)}: {message}")
        return "\n".join(lines)


def _message_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"__all__": exc.messages}
