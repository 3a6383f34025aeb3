from django.core.management.base import BaseCommand
from viewflow.workflow.timers import fire_due_timers

from casework.services.escalation import escalation_sweep


class Command(BaseCommand):
    help = "Fire the escalation levels and flow timers that have come due (beat does this every minute)."

    def handle(self, *args, **options):
        fired = escalation_sweep()
        fire_due_timers()
        self.stdout.write(f"Escalation levels fired: {fired}")
