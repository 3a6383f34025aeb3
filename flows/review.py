from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casework.services import review

from .base import CaseFlowMixin
from .nodes import Decision, HumanStep

# The review decides with the objection's outcomes (docs/domain.md §9.4): `upheld` confirms the result.
REVIEW_DECISIONS = (
    Decision("upheld", _("Result confirmed: the record stays (upheld)"), note_required=True),
    Decision(
        "corrected", _("Result changed: record corrected"), note_required=True, requires=("correction",)
    ),
    Decision("deleted", _("Result changed: record deleted"), note_required=True),
)


class ReviewFlow(CaseFlowMixin, flow.Flow):
    """复核: the credit office one level up reviews an objection's result and decides, in one step.

    The conditions (the subject's own objection, decided, once, within the window) are checked when the review
    is filed (services/review.py), so there is no acceptance step: the review is accepted on filing.
    """

    process_title = _("Review of an objection result (复核)")

    start = flow.StartHandle(this.start_case).Next(this.review)

    review = HumanStep(this.decide, step="review", decisions=REVIEW_DECISIONS).Next(this.end)

    end = flow.End()

    def decide(self, activation, *, case_task, user, decision, note, data):
        review.review_decide(
            case=activation.process.case, actor=user, outcome=decision, reason=note, data=data
        )
