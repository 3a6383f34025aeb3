"""Chinese typesetting of letter text: half-width punctuation next to Chinese becomes full-width.

Official letters (GB/T 15834 标点符号用法) set Chinese text with full-width marks; a half-width comma or bracket
beside a Chinese character reads as a typo and leaves uneven gaps. The letters' own sentences and the rule
sets' citations are written full-width (a test walks them); this normalises what arrives as data — a
reviewer's reason, a record's summary, a company's name — when it is put into a letter.

Only marks touching Chinese text change (the nearest non-space character on either side is Chinese or
full-width punctuation), so numbers (3.5, 10:00), codes and Latin text keep their own punctuation. Brackets
change as pairs: if either bracket of a pair touches Chinese, both become full-width (an unpaired one on its own).
"""

import re

HALF_TO_FULL = {",": "，", ".": "。", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
# CJK ideographs (with extensions A and B), CJK symbols and punctuation, full-width forms.
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\U00020000-\U0002ffff]")


def is_cjk(char: str) -> bool:
    return bool(char) and bool(_CJK.match(char))


def _neighbour(text: str, index: int, step: int) -> str:
    i = index + step
    while 0 <= i < len(text) and text[i] == " ":
        i += step
    return text[i] if 0 <= i < len(text) else ""


def _touches_cjk(text: str, index: int) -> bool:
    return is_cjk(_neighbour(text, index, -1)) or is_cjk(_neighbour(text, index, +1))


def cjk_punctuation(text: str) -> str:
    """`text` with each half-width , . : ; ! ? ( ) that touches Chinese made full-width, and the spaces around
    it dropped (a full-width mark carries its own space). Other text is returned unchanged."""
    if not text or not _CJK.search(text):
        return text
    # Until nothing changes: a mark beside one made full-width in this pass (“（见附件）.”, “查,,!”) touches
    # Chinese then. Each pass converts at least one mark or stops, so this ends.
    for _ in range(len(text) + 1):
        typeset = _typeset_once(text)
        if typeset == text:
            break
        text = typeset
    return text


def _typeset_once(text: str) -> str:
    convert: set[int] = set()
    opened: list[int] = []
    for i, char in enumerate(text):
        if char == "(":
            opened.append(i)
        elif char == ")" and opened:
            start = opened.pop()
            if _touches_cjk(text, start) or _touches_cjk(text, i):
                convert |= {start, i}
        elif char == ")" and _touches_cjk(text, i):
            convert.add(i)  # a closing bracket with no opening one
        elif char in HALF_TO_FULL and char not in "()" and _touches_cjk(text, i):
            # A full stop between digits or letters (3.5, www.x.cn) is no sentence end.
            if char == "." and not is_cjk(_neighbour(text, i, -1)):
                continue
            convert.add(i)
    convert |= {start for start in opened if _touches_cjk(text, start)}  # opening brackets never closed
    if not convert:
        return text
    out: list[str] = []
    for i, char in enumerate(text):
        if i in convert:
            while out and out[-1] == " ":
                out.pop()
            out.append(HALF_TO_FULL[char])
        elif char == " " and out and out[-1] in HALF_TO_FULL.values():
            continue
        else:
            out.append(char)
    return "".join(out)


_HALF_WIDTH_BESIDE_CJK = re.compile(
    r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef] *[,.:;()!?]|[,:;()!?] *[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]"
)


def half_width_beside_cjk(text: str) -> list[str]:
    """The places in `text` where a half-width mark touches Chinese (for tests and checks); [] if none."""
    return [m.group(0) for m in _HALF_WIDTH_BESIDE_CJK.finditer(text)]
