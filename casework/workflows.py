"""Which viewflow Flow runs each case kind. The flows app registers its flows when Django starts, so the
domain can start a case's process without importing the flows package (which depends on the domain)."""

_FLOWS: dict[str, type] = {}


def register(kind: str, flow_class: type) -> None:
    _FLOWS[kind] = flow_class


def flow_for(kind: str) -> type:
    return _FLOWS[kind]


def registered_kinds() -> list[str]:
    return sorted(_FLOWS)
