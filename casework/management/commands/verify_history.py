"""`manage.py verify_history`: prove the hash-chained history was not altered (DESIGN invariant 2)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from casework.services.history_verify import ALTERED, BROKEN_LINK, MISSING, history_verify

# Labels for the problem codes of `services.history_verify`; the codes themselves stay stable for programs.
PROBLEMS = {
    ALTERED: gettext_lazy("altered content"),
    BROKEN_LINK: gettext_lazy("broken link"),
    MISSING: gettext_lazy("missing event"),
}


class Command(BaseCommand):
    help = (
        "Verify every history chain: each event matches its hash, points at the previous event's hash, and the "
        "numbering has no gaps. Exits with a non-zero status if any chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stream", help="Verify only this stream, e.g. case:YY-2026-000001.")
        parser.add_argument(
            "--chunk-size", type=int, default=2000, help="Rows fetched per round trip (memory stays bounded)."
        )
        parser.add_argument(
            "--max-breaks", type=int, default=20, help="How many broken chains to list (all are counted)."
        )

    def handle(self, *args, stream=None, chunk_size=2000, max_breaks=20, verbosity=1, **options):
        def progress(events: int) -> None:
            self.stderr.write(_("… %(events)s events checked") % {"events": events})

        result = history_verify(
            stream=stream,
            chunk_size=max(chunk_size, 1),
            max_breaks=max(max_breaks, 1),
            progress=progress if verbosity >= 2 else None,
        )
        if stream is not None and result.events == 0:
            # Most likely a mistyped stream: "0 events verified" would read as a clean bill of health.
            raise CommandError(_("No history events in stream “%(stream)s”.") % {"stream": stream})
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    _("History verified: %(events)s events in %(chains)s chains, no break found.")
                    % {"events": result.events, "chains": result.chains}
                )
            )
            return
        for found in result.breaks:
            self.stderr.write(
                _("Broken chain — stream %(stream)s, seq %(seq)s, event id %(id)s: %(problem)s (%(detail)s)")
                % {
                    "stream": found.stream,
                    "seq": found.seq,
                    "id": found.event_id,
                    "problem": PROBLEMS.get(found.problem, found.problem),
                    "detail": found.detail,
                }
            )
        not_listed = result.broken_chains - len(result.breaks)
        if not_listed > 0:
            self.stderr.write(
                ngettext(
                    "… and %(n)s more broken chain (raise --max-breaks to list it).",
                    "… and %(n)s more broken chains (raise --max-breaks to list them).",
                    not_listed,
                )
                % {"n": not_listed}
            )
        first = result.first_break
        raise CommandError(
            ngettext(
                "History is NOT intact: %(broken)s of %(chains)s chain is broken (%(events)s events read). "
                "First break: stream %(stream)s, seq %(seq)s, event id %(id)s (%(problem)s).",
                "History is NOT intact: %(broken)s of %(chains)s chains are broken (%(events)s events read). "
                "First break: stream %(stream)s, seq %(seq)s, event id %(id)s (%(problem)s).",
                result.chains,
            )
            % {
                "broken": result.broken_chains,
                "chains": result.chains,
                "events": result.events,
                "stream": first.stream,
                "seq": first.seq,
                "id": first.event_id,
                "problem": PROBLEMS.get(first.problem, first.problem),
            }
        )
