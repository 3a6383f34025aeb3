"""The office hierarchy: which credit office receives a subject's request, which office stands at a level
above it, and which department a rule set's step `department` names for a given case.

Credit offices form a tree along `Department.parent` (district → city → province). Routing follows
docs/domain.md §9.11: the credit office of the division in the subject's code;
where that district has none, the nearest credit office up the tree (city, then province).
"""

from casework.models import Case, Department, DepartmentKind, DepartmentLevel, Subject
from casework.rules.schema import STEP_DEPARTMENTS
from casework.selectors.jurisdiction import departments_within

LEVELS = ("district", "city", "province")


def receiving_office_for(subject: Subject) -> Department | None:
    """The credit office that receives `subject`'s requests, or None when its province has none at all.

    A district code (350102) goes to that district's office; a city-level code (350100, as in the credit
    code 91350100M000100Y43) or a district without an office goes to the city's office, then the
    province's. Ties at one level (two city offices in one city: a data error) go to the lowest code.
    """
    division = subject.division
    offices = Department.objects.filter(kind=DepartmentKind.CREDIT_OFFICE)
    district = offices.filter(level=DepartmentLevel.DISTRICT, division=division).first()
    if district is not None:
        return district
    for level in (DepartmentLevel.CITY, DepartmentLevel.PROVINCE):
        office = departments_within(offices.filter(level=level), division, level).order_by("code").first()
        if office is not None:
            return office
    return None


def credit_office_at(office: Department | None, level: str) -> Department | None:
    """The credit office at `level` on `office`'s line up the tree (district → city → province).

    An office already above `level` answers for it (a case received by a city office has no district
    level to report through); None where the tree has no office at that level.
    """
    wanted = LEVELS.index(level)
    while office is not None and LEVELS.index(office.level) < wanted:
        office = office.parent
    return office


def office_above(office: Department) -> Department:
    """The credit office one level up from `office` (district → city → province): the office that reviews
    the result of an objection `office` received (复核, docs/domain.md §9.4).

    The nearest credit office on `office`'s line up the tree whose level is higher; a province office has
    none above it in this system, so it reviews its own objections' results (the provincial office is where
    the Zhejiang regulation puts the review). A gap in the tree (a district whose parent is a province
    office) goes to the office that is there.
    """
    rank = LEVELS.index(office.level)
    above = office.parent
    while above is not None:
        if above.kind == DepartmentKind.CREDIT_OFFICE and LEVELS.index(above.level) > rank:
            return above
        above = above.parent
    return office


class DepartmentUnresolved(LookupError):
    """A step's `department` names a department this case does not have (e.g. no court in its district)."""


def department_for_step(case: Case, name: str) -> Department:
    """The department a rule set's step `department` names, for `case` (docs/rules.md "Step departments").

    * `receiving_office`: the credit office that received the case;
    * `provider`: the department that provided the case's (first) record (谁认定谁核实);
    * `district_office`, `city_office`, `province_office`: the credit office at that level above the
      receiving office (逐级上报);
    * `court`: the court of the receiving office's district (or the nearest up the tree).

    Raises DepartmentUnresolved when the case has no such department.
    """
    found: Department | None
    if name == "receiving_office":
        found = case.receiving_office
    elif name == "provider":
        record = case.records.order_by("id").select_related("provider").first()
        found = record.provider if record else None
    elif name in {f"{level}_office" for level in LEVELS}:
        found = credit_office_at(case.receiving_office, name.removesuffix("_office"))
    elif name == "court":
        found = _court_for(case.receiving_office.division)
    else:  # the schema refuses such a rule set when it loads; a stored one from elsewhere lands here
        raise DepartmentUnresolved(f"unknown step department {name!r} (one of {', '.join(STEP_DEPARTMENTS)})")
    if found is None:
        raise DepartmentUnresolved(f"case {case.number} has no {name}")
    return found


def _court_for(division: str) -> Department | None:
    courts = Department.objects.filter(kind=DepartmentKind.COURT)
    for level in LEVELS:
        court = departments_within(courts, division, level).order_by("code").first()
        if court is not None:
            return court
    return None
