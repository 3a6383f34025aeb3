"""Subjects (信用主体) a user may list and open: no more than the role needs (issue 12, "who may").

- a subject's user: the subjects they represent;
- a reviewer: subjects their departments dealt with — records they provided, sanctions they implement, tasks
  they hold — and subjects whose requests their credit office received. Not every subject of the district:
  a private person the department never dealt with is none of its business (personal information);
- a supervisor: every subject in their jurisdiction (they oversee, audit and keep the dossiers, 一企一档);
- an administrator: every subject.
"""

from django.db.models import Q, QuerySet

from casework.models import Role, Subject, User

from .jurisdiction import jurisdiction_q


def subjects_visible_to(user: User) -> QuerySet[Subject]:
    subjects = Subject.objects.all()
    if user.role == Role.ADMIN:
        return subjects
    if user.role == Role.SUBJECT:
        return subjects.filter(representatives=user)
    if user.role == Role.SUPERVISOR:
        return subjects.filter(jurisdiction_q(user, "division"))
    if user.role != Role.REVIEWER:
        return subjects.none()
    departments = user.departments.values("pk")
    # Each relation in its own subquery: one OR over four joins multiplies rows and needs a DISTINCT.
    return subjects.filter(
        Q(pk__in=Subject.objects.filter(records__provider__in=departments).values("pk"))
        | Q(pk__in=Subject.objects.filter(records__sanctions__implementer__in=departments).values("pk"))
        | Q(pk__in=Subject.objects.filter(cases__tasks__department__in=departments).values("pk"))
        | Q(pk__in=Subject.objects.filter(cases__receiving_office__in=departments).values("pk"))
    )
