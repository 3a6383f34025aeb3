"""Issue 9: every reference in the code resolves inside the repository (the rules live in docs/domain.md)."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".svg", ".cfg", ".ini"}
OUTSIDE = re.compile(r"\b(?:DOMAIN|DESIGN|STYLE)\.md\b|\.\./shared\b|/work/")
DOC_REF = re.compile(r"\bdocs/([\w./-]+\.md)(?:\s*(§[\d.]*\d))?")
MD_LINK = re.compile(r"\]\(((?!https?:|mailto:|#)[^)#\s]+)(?:#[^)]*)?\)")
# A test that lists forbidden strings must be able to spell them.
EXEMPT = {"tests/test_repository_references.py"}


def _tracked() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [
        ROOT / n for n in names if Path(n).suffix in TEXT_SUFFIXES and n not in EXEMPT and (ROOT / n).exists()
    ]


def _sections() -> set[str]:
    text = (ROOT / "docs" / "domain.md").read_text(encoding="utf-8")
    return set(re.findall(r"§\d+(?:\.\d+)?", text))


@pytest.fixture(scope="module")
def files():
    return [(path, path.read_text(encoding="utf-8", errors="replace")) for path in _tracked()]


def test_nothing_cites_a_document_outside_the_repository(files):
    offenders = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
        for path, text in files
        for m in OUTSIDE.finditer(text)
    ]
    assert offenders == []


def test_every_docs_reference_names_a_file_and_a_section_that_exist(files):
    sections = _sections()
    broken = []
    for path, text in files:
        for m in DOC_REF.finditer(text):
            target, section = m.group(1).rstrip("."), m.group(2)
            if not (ROOT / "docs" / target).exists():
                broken.append(f"{path.relative_to(ROOT)}: docs/{target}")
            elif section and target == "domain.md" and section not in sections:
                broken.append(f"{path.relative_to(ROOT)}: docs/domain.md {section}")
    assert broken == []


def test_every_relative_link_in_the_docs_resolves(files):
    broken = []
    for path, text in files:
        if path.suffix != ".md":
            continue
        for m in MD_LINK.finditer(text):
            if not (path.parent / m.group(1)).resolve().exists():
                broken.append(f"{path.relative_to(ROOT)}: {m.group(1)}")
    assert broken == []
