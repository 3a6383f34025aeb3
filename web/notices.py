"""Links to a case's PDF notices and process diagram, which the documents module serves.

The pages only link to those URLs, and only once they exist, so the faces work (and say that notices are
not available yet) whether or not the documents module is installed.
"""

from django.urls import Resolver404, resolve


def _exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def case_notices(case) -> list[dict]:
    """The rendered notices of a case, each with its PDF address; empty while notices are not built."""
    base = f"/api/v1/cases/{case.number}/notices/"
    manager = getattr(case, "notices", None)
    if manager is None or not _exists(base):
        return []
    return [
        {
            "title": notice.get_kind_display(),
            "created_at": notice.created_at,
            "url": f"{base}{notice.public_id}.pdf",
        }
        for notice in manager.all()
        if getattr(notice, "state", "rendered") == "rendered"
    ]


def diagram_url(case) -> str | None:
    path = f"/api/v1/cases/{case.number}/diagram.svg"
    return path if _exists(path) else None
