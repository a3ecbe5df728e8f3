"""`recommender wizard`: the adaptive interview in a terminal, then the recommendation.

Two halves, so that tests can drive the conversation without a terminal:

- `recommender.interview.Interview`, the library side: which question could change the answer
  most, when to stop, back, and the Requirements the answers amount to. No I/O.
- `terminal.TerminalUI`, the questionary side: one prompt per question with why it is asked and
  the progress; `flow.converse()` and `flow.run()`: the result with "ask me more" and the review,
  saving and exporting.

questionary and prompt_toolkit are imported inside functions only, so `recommender --help` and
batch mode never pay for them and the first question appears quickly.
"""

from .flow import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, converse, main, run
from .terminal import Nav, TerminalUI

__all__ = ["EXIT_INPUT", "EXIT_INTERRUPTED", "EXIT_OK", "Nav", "TerminalUI", "converse", "main", "run"]
