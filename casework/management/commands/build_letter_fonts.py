"""Cut the letter fonts once (`make` runs it): see casework.documents.fonts."""

from django.core.management.base import BaseCommand

from casework.documents.fonts import build_letter_fonts, letter_repertoire


class Command(BaseCommand):
    help = "Cut Noto Serif CJK SC to the characters letters use, into LETTER_FONT_DIR (var/fonts)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="cut again even if an up-to-date cut exists")

    def handle(self, *args, force=False, **options):
        files = build_letter_fonts(force=force)
        if not files:
            self.stderr.write("Noto CJK is not installed (Debian fonts-noto-cjk): letters use whole faces.")
            return
        for weight, path in files.items():
            self.stdout.write(f"{weight}: {path} ({path.stat().st_size / 1024:.0f} KiB)")
        self.stdout.write(f"{len(letter_repertoire())} characters")
