#!/usr/bin/env bash
# Refresh the Simplified Chinese catalogue: extract new/changed msgids, compile, and report what still needs
# translating. Idempotent; run it from the repository root:  bash locale/update.sh
#
# Exit status: 0 when everything compiled (even if some entries are still untranslated or fuzzy), non-zero when
# extraction, the placeholder check or compilation failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=.venv/bin/python
PO=locale/zh_Hans/LC_MESSAGES/django.po

"$PY" manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests --ignore=bench --no-obsolete

# Every %(name)s / {value} placeholder of a translation must match its msgid.
msgfmt --check-format -o /dev/null "$PO"

"$PY" manage.py compilemessages -l zh_Hans --ignore=.venv

# Number of real entries in a PO stream (the header, whose msgid is empty, is not counted).
count_entries() {
    msgcat --no-wrap - 2>/dev/null | grep -c '^msgid "[^"]' || true
}

untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | count_entries)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$PO" | count_entries)
total=$(msgcat --no-wrap "$PO" | grep -c '^msgid "[^"]' || true)

echo "zh_Hans: ${total} entries, ${untranslated} untranslated, ${fuzzy} fuzzy"

if [ "${untranslated}" != "0" ] || [ "${fuzzy}" != "0" ]; then
    echo "--- entries needing work (untranslated or fuzzy):"
    msgattrib --untranslated --no-obsolete "$PO" | msgcat --no-wrap - 2>/dev/null | grep '^msgid "[^"]' || true
    msgattrib --only-fuzzy --no-obsolete "$PO" | msgcat --no-wrap - 2>/dev/null | grep '^msgid "[^"]' || true
fi
