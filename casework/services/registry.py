"""Provisioning: departments, users, subjects. Administrative writes, validated like every other input."""

from collections.abc import Sequence

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from casework.identifiers import division_of, validate_credit_code, validate_resident_id
from casework.models import Department, Role, Subject, SubjectKind, User


@transaction.atomic
def department_create(
    *,
    code: str,
    name: str,
    kind: str,
    level: str,
    division: str,
    parent: Department | None = None,
    credit_code: str = "",
) -> Department:
    """A department; `credit_code` (optional) is its own unified social credit code, validated (GB 32100)."""
    if credit_code:
        try:
            credit_code = validate_credit_code(credit_code)
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from None
    department = Department(
        code=code,
        name=name,
        kind=kind,
        level=level,
        division=division,
        parent=parent,
        credit_code=credit_code,
    )
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def subject_create(*, kind: str, code: str, name: str) -> Subject:
    validate = validate_credit_code if kind == SubjectKind.ENTERPRISE else validate_resident_id
    errors = {}
    if kind not in SubjectKind.values:
        errors["kind"] = [_("Choose “enterprise” or “person”.")]
    else:
        try:
            code = validate(code)
        except ValidationError as exc:
            errors["code"] = exc.messages
    if not (name or "").strip():
        errors["name"] = [_("Give the subject's registered name.")]
    if not errors and Subject.objects.filter(code=code).exists():
        errors["code"] = [_("A subject with this identifier is already registered.")]
    if errors:
        raise ValidationError(errors)
    return Subject.objects.create(kind=kind, code=code, name=name.strip(), division=division_of(kind, code))


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    departments: Sequence[Department] = (),
    subjects: Sequence[Subject] = (),
    email: str = "",
    full_name: str = "",
    language: str = "zh-hans",
    phone: str = "",
) -> tuple[User, str]:
    """Create a user and their API token. Staff roles need a department; a subject's user a subject."""
    errors: dict[str, list] = {}
    if role not in Role.values:
        errors["role"] = [_("Choose one of: %(roles)s.") % {"roles": ", ".join(Role.values)}]
    if role in (Role.REVIEWER, Role.SUPERVISOR) and not departments:
        errors["departments"] = [_("A reviewer or supervisor belongs to at least one department.")]
    if role == Role.SUBJECT and not subjects:
        errors["subjects"] = [_("A subject's user represents at least one subject.")]
    if User.objects.filter(username=username).exists():
        errors["username"] = [_("This username is taken.")]
    user = User(
        username=username, role=role, email=email, first_name=full_name, language=language, phone=phone
    )
    try:
        user.clean_fields(exclude=["password", "last_login", "date_joined", "role"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault("full_name" if field == "first_name" else field, []).extend(messages)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save()
    user.departments.set(departments)
    user.subjects.set(subjects)
    token = Token.objects.create(user=user)
    return user, token.key
