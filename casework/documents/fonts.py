"""Letter fonts: Noto Serif CJK SC cut once, at build time, to the characters letters use.

Why: WeasyPrint subsets each embedded font per document with HarfBuzz, but keeps every glyph slot up to the
highest one used; a Noto CJK face has 65,535 slots, so each notice carried ~47,000 empty glyphs and ~44 ms of
subsetting. A face cut to the letters' repertoire and *renumbered* (GB 2312, the templates' own text, ASCII,
CJK and full-width punctuation: ~7,600 characters) makes every notice's subset small and fast.

Characters outside the cut (a rare character in a name, e.g. 𪚥 U+2A6A5) fall back, character by character,
to the full Noto faces and then to HanaMin A/B (Debian fonts-hanazono, CJK extensions A–F), so they are still
drawn. A character no installed font has makes the render fail loudly (`GlyphMissing`), never an empty box.
"""

import hashlib
import json
import logging
import unicodedata
from functools import cache
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

FAMILY = "Casework Letter Serif"
# The cut faces first, then the per-character fallbacks (by fontconfig family name).
FALLBACK_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "HanaMinA", "HanaMinB")
# One weight: letters set headings by size and colour, not boldness (a bold face doubles the embedded glyphs).
WEIGHTS = {"regular": ("NotoSerifCJK-Regular.ttc", 400)}
SOURCE_FACE = "Noto Serif CJK SC"
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/opentype/noto-cjk")
FALLBACK_FILES = (
    "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf",
    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
)


class GlyphMissing(Exception):
    """A letter holds characters that no installed font can draw."""

    def __init__(self, characters: str):
        self.characters = characters
        codes = ", ".join(f"U+{ord(c):04X}" for c in characters)
        super().__init__(f"No installed font draws {characters!r} ({codes}); install fonts-hanazono.")


def letter_repertoire() -> str:
    """Every character the cut faces carry, sorted: printable ASCII, GB 2312, CJK and full-width punctuation,
    and each character of the letter templates."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    chars |= {chr(c) for c in range(0x2010, 0x2060)} | {"·", "×", "÷", "°", "±", "¥", "§"}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    templates = Path(settings.BASE_DIR) / "templates" / "letters"
    for template in sorted(templates.glob("*.html")):
        chars |= set(template.read_text(encoding="utf-8"))
    chars |= _letter_code_and_rule_text()
    return "".join(sorted(c for c in chars if c.isprintable()))


def _letter_code_and_rule_text() -> set[str]:
    """Characters letters take from code, not templates: the presenters' sentences (letters.py, typography.py)
    and every rule profile's citations, remedies and names (rules/), so a new citation is in the cut."""
    import json

    from casework.rules import PROFILES

    chars: set[str] = set()
    here = Path(__file__).resolve().parent
    for module in ("letters.py", "typography.py"):
        chars |= set((here / module).read_text(encoding="utf-8"))
    chars |= set(json.dumps(PROFILES, ensure_ascii=False))
    return chars


def _source(file_name: str) -> Path | None:
    for folder in FONT_DIRS:
        path = Path(folder) / file_name
        if path.exists():
            return path
    return None


def font_dir() -> Path:
    return Path(settings.LETTER_FONT_DIR)


def _fingerprint(repertoire: str) -> str:
    parts = [repertoire]
    for file_name, _ in WEIGHTS.values():
        path = _source(file_name)
        parts.append(f"{path}:{path.stat().st_size if path else 0}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def build_letter_fonts(*, force: bool = False) -> dict[str, Path]:
    """Cut the faces into `settings.LETTER_FONT_DIR` (var/fonts) unless an up-to-date cut is there (HarfBuzz's
    subsetter, ~2 s a weight). Returns {weight: path}; empty when the Noto CJK sources are not installed
    (letters then use them whole)."""
    import uharfbuzz as hb

    repertoire = letter_repertoire()
    fingerprint = _fingerprint(repertoire)
    target = font_dir()
    manifest = target / "manifest.json"
    if not force and manifest.exists():
        built = json.loads(manifest.read_text())
        if built.get("fingerprint") == fingerprint and all(Path(p).exists() for p in built["files"].values()):
            return {weight: Path(path) for weight, path in built["files"].items()}
    target.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for weight, (file_name, _) in WEIGHTS.items():
        source = _source(file_name)
        if source is None:
            logger.warning("%s is not installed; letters use the whole Noto CJK faces.", file_name)
            return {}
        face = hb.Face(hb.Blob.from_file_path(str(source)), _face_index(source))
        request = hb.SubsetInput()
        request.unicode_set.update({ord(c) for c in repertoire})  # glyphs are renumbered (no RETAIN_GIDS)
        cut = hb.subset(face, request)
        if cut is None:
            raise RuntimeError(f"HarfBuzz could not cut {source}")
        path = target / f"letter-{weight}-{fingerprint}.otf"
        path.write_bytes(cut.blob.data)
        files[weight] = path
    manifest.write_text(
        json.dumps({"fingerprint": fingerprint, "files": {k: str(v) for k, v in files.items()}})
    )
    return files


def _face_index(collection: Path) -> int:
    from fontTools.ttLib import TTCollection

    for index, font in enumerate(TTCollection(str(collection), lazy=True).fonts):
        if font["name"].getDebugName(1) == SOURCE_FACE:
            return index
    raise LookupError(f"{SOURCE_FACE} is not in {collection}")


@cache
def letter_fonts() -> dict[str, Path]:
    """The cut faces `make` built (`manage.py build_letter_fonts`); none if they are not there, and letters
    then use the whole Noto faces — slower and bigger, never wrong. Cutting takes minutes, so it is never
    done on the way to a render."""
    manifest = font_dir() / "manifest.json"
    if manifest.exists():
        built = json.loads(manifest.read_text())
        files = {weight: Path(path) for weight, path in built.get("files", {}).items()}
        if files and all(path.exists() for path in files.values()):
            return files
    logger.warning("Letter fonts are not cut (manage.py build_letter_fonts): using whole Noto CJK faces.")
    return {}


def font_faces_css() -> str:
    """`@font-face` rules for the cut faces (empty when they could not be built)."""
    rules = []
    for weight, path in letter_fonts().items():
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; src: url("{path.as_uri()}"); '
            f"font-weight: {WEIGHTS[weight][1]}; font-style: normal; }}"
        )
    return "\n".join(rules)


def font_family_css() -> str:
    return ", ".join(f'"{name}"' for name in (FAMILY, *FALLBACK_FAMILIES)) + ", serif"


@cache
def _covered() -> frozenset[int]:
    """Code points some face of the letters' chain draws (read once per process)."""
    from fontTools.ttLib import TTCollection, TTFont

    points: set[int] = set()
    for file_name, _ in WEIGHTS.values():
        source = _source(file_name)
        if source is not None:
            for font in TTCollection(str(source), lazy=True).fonts:
                if font["name"].getDebugName(1) == SOURCE_FACE:
                    points |= set(font.getBestCmap())
    for sans in FONT_DIRS:
        path = Path(sans) / "NotoSansCJK-Regular.ttc"
        if path.exists():
            for font in TTCollection(str(path), lazy=True).fonts:
                if font["name"].getDebugName(1) == "Noto Sans CJK SC":
                    points |= set(font.getBestCmap())
    for file_name in FALLBACK_FILES:
        if Path(file_name).exists():
            points |= set(TTFont(file_name, lazy=True).getBestCmap())
    return frozenset(points)


# Controls, format characters and separators draw nothing; everything else (letters, symbols, private-use and
# unassigned code points alike) needs a glyph.
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp"}


def check_drawable(text: str) -> None:
    """Raise `GlyphMissing` for any visible character no face of the chain draws."""
    repertoire = _repertoire_points()
    missing = {
        c
        for c in set(text)
        if ord(c) not in repertoire and unicodedata.category(c) not in _INVISIBLE and ord(c) not in _covered()
    }
    if missing:
        raise GlyphMissing("".join(sorted(missing)))


@cache
def _repertoire_points() -> frozenset[int]:
    return frozenset(ord(c) for c in letter_repertoire())
