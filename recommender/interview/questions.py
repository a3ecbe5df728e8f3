"""The questions an interview asks: their kinds, the answers they take, and when they come."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from ..models import Importance

QuestionKind = Literal["importance", "choice", "multi", "integer"]

IMPORTANCES: Final[tuple[Importance, ...]] = ("must", "high", "medium", "nice")
# `avoid` is offered only where a team plausibly does not want the capability at all.
AVOIDABLE: Final = frozenset({"web_ui", "image_update_automation", "sidecar_management", "non_kubernetes_targets"})

# Context keys that only matter once a requirement they qualify is wanted: the router shifts the
# traffic and the metrics provider feeds the analysis of a progressive rollout. The cluster count
# matters once a delivery requirement is wanted (the fleet rules read it for any team that needs a
# delivery engine); other keys are always candidates.
CONTEXT_NEEDS: Final[dict[str, frozenset[str]]] = {
    "traffic_router": frozenset({"canary", "blue_green", "ab_testing", "traffic_shaping_mesh"}),
    "metrics_provider": frozenset({"canary", "blue_green", "ab_testing", "metric_analysis_rollback"}),
}
# Workload kinds matter once a progressive or workload requirement is wanted, and only when the
# tools' components support different kinds (checked against the knowledge base).
WORKLOAD_GROUPS: Final = frozenset({"progressive", "workloads"})
# The first question: which requirements matter at all. One answer settles every requirement the
# team leaves out (they are not asked about), as an expert first asks what the team needs and then
# drills into what could change the advice. Skipped, each requirement is asked about in turn.
SCREEN: Final = "requirements"
# A requirement picked there is counted at this importance until its own question is answered;
# that question comes only when another importance would change the top pick or the stack.
ASSUMED: Final[Importance] = "medium"


@dataclass(frozen=True)
class InterviewQuestion:
    """One question: `id` is a requirement id (answered with an importance), a context key, or
    `SCREEN` (answered with the requirement ids that matter)."""

    id: str
    kind: QuestionKind
    text: str
    help: str
    why: str
    choices: tuple[str, ...]  # the allowed values as written in a requirements file; () for a number
    labels: tuple[str, ...] = ()  # how each choice reads, where that is not the value itself
    sections: tuple[str, ...] = ()  # the heading each choice is listed under, where choices are grouped
