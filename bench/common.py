"""What every benchmark shares: a machine-readable result line that `bench/run.py` (make bench) collects.

Each figure is printed beside its reference measured in the same run, so a busy or slow machine shows in both.
"""

import json


def emit(
    name: str,
    figure: float,
    unit: str,
    *,
    reference: float | None = None,
    reference_name: str = "",
    **details,
) -> None:
    """Print `RESULT {json}` (one line); `bench/run.py` turns these into the table in docs/performance.md."""
    print(
        "RESULT "
        + json.dumps(
            {
                "name": name,
                "figure": figure,
                "unit": unit,
                "reference": reference,
                "reference_name": reference_name,
                "details": details,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )
