from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casework.services import review

from .base import CaseFlowMixin
from .nodes import Decision, HumanStep
from .objection import OUTCOMES

# The review decides with the objection's six outcomes (docs/domain.md §9.4): `upheld` confirms the result,
# every other outcome changes it and is settled as the objection's own would be.
REVIEW_DECISIONS = (
    Decision("upheld", _("Result confirmed: the record stays (upheld)"), note_required=True),
    *(decision for decision in OUTCOMES if decision.name != "upheld"),
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
