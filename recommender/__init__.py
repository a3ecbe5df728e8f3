"""recommender: an expert system that recommends continuous-delivery tooling and explains why."""

from .api import load_requirements, recommend
from .errors import EngineError, InputError, Problem
from .interview import Interview, InterviewQuestion
from .knowledge import KnowledgeBase, load_knowledge
from .models import Recommendation, Requirements
from .rules import RuleBase, load_rules

__version__ = "0.1.0"

__all__ = [
    "EngineError",
    "InputError",
    "Interview",
    "InterviewQuestion",
    "KnowledgeBase",
    "Problem",
    "Recommendation",
    "Requirements",
    "RuleBase",
    "__version__",
    "load_knowledge",
    "load_requirements",
    "load_rules",
    "recommend",
]
