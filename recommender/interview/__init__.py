"""An adaptive interview: ask only what can still change the answer.

Like a consultation with an expert, each question is chosen because its answer could change the
advice. The first question (`SCREEN`) asks which requirements matter at all: the rest are not asked
about, and the ones picked count at medium until another importance could change the answer.
Then, for every requirement and context key not yet asked, the answers it could take are ranked
with the engine (outcomes.py), and the question whose answers could move the top pick or the
stack most comes next, with why it is asked (why.py). The interview stops when no single
remaining answer changes the top pick or the stack: that is checked by re-running those very
variants, not estimated.

    iv = Interview()
    while (q := iv.next_question()) is not None:
        if q.id == SCREEN:
            iv.answer(q.id, ["gitops_sync", "web_ui"])   # which requirements matter
        else:
            iv.skip(q.id)                                # or iv.answer(q.id, "must"), ...
    rec = iv.recommendation()
"""

from .conversation import Interview
from .outcomes import MAX_CLUSTERS, AnswerValue
from .questions import ASSUMED, AVOIDABLE, IMPORTANCES, SCREEN, InterviewQuestion

__all__ = ["ASSUMED", "AVOIDABLE", "IMPORTANCES", "MAX_CLUSTERS", "SCREEN", "AnswerValue", "Interview",
           "InterviewQuestion"]
