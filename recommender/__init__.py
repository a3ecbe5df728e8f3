"""recommender: an expert system that recommends continuous-delivery tooling and explains why.

`recommend()` ranks the tools for a team's `Requirements` and returns a `Recommendation`;
`recommender.render.render(rec, format=...)` lays it out as a table, JSON, Markdown, an ADR, HTML or SVG.
"""

from typing import TYPE_CHECKING, Any

from .api import load_requirements, recommend
from .dsl.load import load_rules
from .dsl.model import RuleBase
from .errors import EngineError, InputError, Problem
from .knowledge import KnowledgeBase, load_knowledge
from .models import (
    Confidence,
    Context,
    Cover,
    Decisive,
    Exclusion,
    Explanation,
    Factor,
    Importance,
    NoFit,
    Recommendation,
    Requirements,
    Risk,
    Sensitivity,
    StackPart,
    ToolResult,
    Verdict,
    WhatIf,
    WhyNot,
)
from .version import __version__

__all__ = [
    "Confidence",
    "Context",
    "Cover",
    "Decisive",
    "EngineError",
    "Exclusion",
    "Explanation",
    "Factor",
    "Importance",
    "InputError",
    "Interview",
    "InterviewQuestion",
    "KnowledgeBase",
    "NoFit",
    "Problem",
    "Recommendation",
    "Requirements",
    "Risk",
    "RuleBase",
    "Sensitivity",
    "StackPart",
    "ToolResult",
    "Verdict",
    "WhatIf",
    "WhyNot",
    "__version__",
    "load_knowledge",
    "load_requirements",
    "load_rules",
    "recommend",
]


if TYPE_CHECKING:
    from .interview import Interview, InterviewQuestion


def __getattr__(name: str) -> Any:
    # The interview is imported when first asked for: a recommendation never needs it.
    if name in ("Interview", "InterviewQuestion"):
        from . import interview

        return getattr(interview, name)
    raise AttributeError(f"module 'recommender' has no attribute {name!r}")
