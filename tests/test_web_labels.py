"""Issue 14 (language): no raw code in the timeline. Every history action the services write and every workflow
transition of a case has a name on screen, in zh-hans and English (web/labels.py). "start_shielding" showed
as such on the bankruptcy case page of the demo.

The actions are read from the code itself, so a new transition or history action without a name fails here.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation
from django_fsm import FSMFieldMixin

from web.labels import action_label

ROOT = Path(__file__).resolve().parent.parent
# history_record(..., action="x") and transition(case, "x", ...) in the domain's services
WRITTEN = (re.compile(r'\baction="([a-z_]+)"'), re.compile(r'\btransition\(\s*\w+,\s*"([a-z_]+)"'))


def written_actions() -> set[str]:
    found = set()
    for path in (ROOT / "casework" / "services").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in WRITTEN:
            found |= set(pattern.findall(text))
    return found


def transition_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        for field in model._meta.fields:
            if isinstance(field, FSMFieldMixin):
                names |= {t.name for t in field.get_all_transitions(model)}
    return names


ACTIONS = sorted(written_actions() | transition_names())


def test_the_code_is_read():
    assert {"start_shielding", "material_added", "open_publicity"} <= set(ACTIONS)


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_has_a_name_in_both_languages(action):
    with translation.override("en"):
        english = action_label(action)
    with translation.override("zh-hans"):
        chinese = action_label(action)
    assert english != action, f"{action} has no label in web/labels.py ACTIONS"
    assert re.search(r"[\u4e00-\u9fff]", chinese), f"{action}: no Chinese translation ({chinese})"
