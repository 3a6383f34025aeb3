"""Which instruments an office cites: its province's own where the rule set lists them, the national ones
otherwise (docs/rules.md, "Citations by province"; docs/domain.md §8).

Read from a rule set's stored data (`RuleSet.data`, the JSON-compatible profile), so a case filed under an older
version keeps the citations it was filed under; a version without `local_citations` cites what its kinds name.
An office's province is the first two digits of its 6-digit division code (31 Shanghai, 33 Zhejiang, 35 Fujian).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    """`basis`: the legal basis sentence of a notice; `sources`: the instruments listed under it."""

    basis: str
    sources: list[str]


def province_of(division: str) -> str:
    return (division or "")[:2]


def _local(data: dict, kind: str, division: str) -> dict:
    province = data.get("local_citations", {}).get(province_of(division), {})
    return province.get("case_kinds", {}).get(kind, {})


def kind_citation(data: dict, *, kind: str, division: str) -> Citation:
    """The basis and sources a notice of `kind` cites for an office in `division`."""
    rules = data["case_kinds"][kind]
    local = _local(data, kind, division)
    national = list(rules.get("sources") or data.get("sources", []))
    return Citation(
        basis=local.get("basis") or rules.get("basis", ""),
        sources=[*local.get("sources", []), *(s for s in national if s not in local.get("sources", []))],
    )


def step_basis(data: dict, *, kind: str, step: str, division: str) -> str:
    """The basis of one step as the reviewer's rule panel shows it to an office in `division` ("" if none)."""
    local = _local(data, kind, division).get("steps", {})
    if step in local:
        return local[step]
    return data["case_kinds"][kind].get("steps", {}).get(step, {}).get("basis", "")
