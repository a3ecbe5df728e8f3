"""The terminal side of `recommender wizard`: one questionary prompt per interview question, with why
it is asked and the progress, the review screen, yes/no and file-name prompts.

questionary and prompt_toolkit are imported inside functions only, so `recommender --help` and
batch mode never pay for them and the first question appears quickly.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..interview import MAX_CLUSTERS, SCREEN, Interview, InterviewQuestion

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output
    from rich.console import Console


def ui_text(key: str, lang: str, **values: object) -> str:
    """An interface string from recommender/strings.yaml (keys `wizard_*`)."""
    from ..strings import t

    return t(f"wizard_{key}", lang, **values)


# --------------------------------------------------------------------------------------------
# The terminal side
# --------------------------------------------------------------------------------------------


class Nav(enum.Enum):
    BACK = "back"
    SKIP = "skip"


# What the wizard offers once the answer stands.
AFTER_DONE, AFTER_MORE, AFTER_REVIEW = "done", "more", "review"


class TerminalUI:
    """Renders the interview's questions with questionary; `input`/`output` let tests use a pipe."""

    def __init__(self, iv: Interview, lang: str, console: Console, *, input: Input | None = None,
                 output: Output | None = None) -> None:
        _share_default_key_bindings()
        self.iv = iv
        self.lang = lang
        self.console = console
        self._io: dict[str, Any] = {k: v for k, v in (("input", input), ("output", output)) if v is not None}
        # Look ahead only for a person at a terminal: scripted input answers at once, and the
        # background ranking would only compete with it for the interpreter.
        self.look_ahead = input is None
        self._more_shown: int | None = None  # the "likely N more" last shown: it never goes up
        self._left_shown: int | None = None  # the same for "N left" after "ask me more"
        self.undone: dict[str, object] = {}  # answers taken back: the prompt starts on them when asked again

    def t(self, key: str, **values: object) -> str:
        return ui_text(key, self.lang, **values)

    # -- texts -----------------------------------------------------------------------------------

    def label(self, q: InterviewQuestion, value: object) -> str:
        """How an answer reads in a choice list and on the review screen."""
        if value is None:
            return self.t("dont_care") if q.kind == "importance" else self.t("skip")
        if q.kind == "importance":
            return self.t(str(value))
        if isinstance(value, (list, tuple)):
            return ", ".join(map(str, value)) if value else self.t("none")
        return str(value)

    def progress(self, more: bool) -> str:
        """`[3 asked · likely 4 more]`; after "ask me more", `[9 asked · 12 left]`. Neither figure
        ever goes up, also across back (an answer can open a question, so each is held down)."""
        if more and not self.iv.could_change():
            left = len(self.iv.remaining())
            self._left_shown = left if self._left_shown is None else min(self._left_shown, left)
            return self.t("progress_more", asked=self.iv.asked, left=max(self._left_shown, 1))
        likely = self.iv.likely_more()
        self._more_shown = likely if self._more_shown is None else min(self._more_shown, likely)
        return self.t("progress_adaptive", asked=self.iv.asked, more=max(self._more_shown, 1))

    # -- prompts ---------------------------------------------------------------------------------

    def _with_back_key(self, question: Any) -> Any:
        """Left arrow = back in list prompts, where Left has no other use."""
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        extra = KeyBindings()

        @extra.add("left", eager=True)
        def _back(event: Any) -> None:
            event.app.exit(result=Nav.BACK)

        question.application.key_bindings = merge_key_bindings([question.application.key_bindings, extra])
        return question

    def ask(self, q: InterviewQuestion, *, more: bool = False) -> object:
        """One question on screen: the answer as in a requirements file, Nav.SKIP or Nav.BACK.

        The question itself is printed above the prompt, so a long one wraps at any width (a
        prompt line is cut at the terminal's edge); the prompt line holds the progress only.
        """
        import questionary
        from rich.markup import escape

        self.console.print()
        self.console.print(f"[bold]{escape(q.text)}[/]")
        if q.help:
            self.console.print(f"[dim]{escape(q.help)}[/]")
        if q.why:
            self.console.print(f"[cyan]{escape(q.why)}[/]")
        # The first question settles which others come: no count can be said before it.
        qmark = self.t("progress_screen") if q.id == SCREEN else self.progress(more)
        if self.look_ahead:
            self.iv.prefetch(q.id)  # while the question is read, rank what each answer leads to
        found = self.iv.value(q.id)
        current: object = self.undone.get(q.id) if found is None else found
        can_back = bool(self.iv.asked)
        if q.kind == "multi":
            chosen = current if isinstance(current, list) else []
            choices: list[Any] = []
            labels = q.labels or q.choices
            for i, (v, label) in enumerate(zip(q.choices, labels, strict=True)):
                if q.sections and (i == 0 or q.sections[i] != q.sections[i - 1]):
                    choices.append(questionary.Separator(f"── {q.sections[i]}"))
                choices.append(questionary.Choice(label, value=v, checked=v in chosen))
            prompt = self._with_back_key(questionary.checkbox("", choices=choices, qmark=qmark,
                                                              instruction=self.t("multi_hint"), **self._io))
            # questionary echoes an empty answer as "done": the prompt is erased and the answer
            # echoed here instead, as the review shows it.
            prompt.application.erase_when_done = True
            _no_done(prompt.application)
            result = prompt.unsafe_ask()
            if result is Nav.BACK:
                return Nav.BACK if can_back else Nav.SKIP
            shown = [labels[q.choices.index(v)] for v in result] if result else None
            self.console.print(f"{qmark} {self.label(q, shown)}", highlight=False, markup=False)
            return list(result) if result else Nav.SKIP
        if q.kind == "integer":
            return self._ask_integer(qmark, current)
        options: list[object] = [*q.choices, None]
        choices = [questionary.Choice(self.label(q, v), value=i) for i, v in enumerate(options)]
        if can_back:
            choices.append(questionary.Choice(self.t("back"), value=-1))
        default = options.index(current) if current in options else len(q.choices)
        prompt = self._with_back_key(questionary.select("", choices=choices, default=choices[default],
                                                        qmark=qmark, instruction=self.t("select_hint"), **self._io))
        picked = prompt.unsafe_ask()
        if picked is Nav.BACK or picked == -1:
            return Nav.BACK if can_back else Nav.SKIP
        value = options[picked]
        return Nav.SKIP if value is None else value

    def _ask_integer(self, qmark: str, current: object) -> object:
        import questionary

        def valid(text: str) -> bool | str:
            text = text.strip()
            if text in ("", "<") or (text.isdigit() and 1 <= int(text) <= MAX_CLUSTERS):
                return True
            return self.t("integer_error", max=MAX_CLUSTERS)

        default = "" if current is None else str(current)
        text = questionary.text("", default=default, validate=valid, qmark=qmark,
                                instruction=self.t("integer_hint"), **self._io).unsafe_ask().strip()
        if text == "<":
            return Nav.BACK if self.iv.asked else Nav.SKIP
        return int(text) if text else Nav.SKIP

    def review(self) -> str | Nav | None:
        """The review screen, listing what was answered: an id to change, None to finish, or Nav.BACK."""
        import questionary

        answered = self.iv.answered
        choices: list[Any] = [questionary.Choice(self.t("review_done"), value=-2), questionary.Separator()]
        for i, question_id in enumerate(answered):
            q = self.iv.question(question_id)
            choices.append(questionary.Choice(f"{q.text}: {self.label(q, self.iv.value(question_id))}", value=i))
        choices.append(questionary.Choice(self.t("back"), value=-1))
        prompt = self._with_back_key(questionary.select(self.t("review"), choices=choices, default=choices[0],
                                                        instruction=self.t("select_hint"), **self._io))
        picked = prompt.unsafe_ask()
        if picked is Nav.BACK or picked == -1:
            return Nav.BACK
        return None if picked == -2 else answered[picked]

    def confirm(self, message: str, default: bool) -> bool:
        """A yes/no question, as a two-line choice: its labels and hint are in the wizard's language."""
        options = [("yes", self.t("yes")), ("no", self.t("no"))]
        return self.choose(message, options if default else options[::-1]) == "yes"

    def choose(self, message: str, options: Sequence[tuple[str, str]]) -> str:
        """A plain select over (value, label) pairs; the first is the default."""
        import questionary

        choices = [questionary.Choice(label, value=value) for value, label in options]
        return str(questionary.select(message, choices=choices, default=choices[0],
                                      instruction=self.t("choose_hint"), **self._io).unsafe_ask())

    def path(self, message: str, default: str, force: bool) -> Path:
        import questionary

        def valid(text: str) -> bool | str:
            return path_problem(Path(text.strip()) if text.strip() else None, force, self.lang) or True

        return Path(questionary.text(message, default=default, validate=valid, **self._io).unsafe_ask().strip())


def _share_default_key_bindings() -> None:
    """Build prompt_toolkit's default key bindings once per process, not for every prompt.

    Every prompt_toolkit Application builds the whole default set (emacs, vi, mouse: about 30 ms
    here), and a questionary list prompt makes two Applications, so each question cost some 65 ms
    of CPU before it appeared. The set holds no state of its own (its filters read the running
    application when a key is pressed), so one copy serves every prompt, one after another."""
    import functools

    from prompt_toolkit.application import application

    build = application.load_key_bindings  # type: ignore[attr-defined]  # imported there, not exported
    if not hasattr(build, "cache_info"):  # not shared yet
        application.load_key_bindings = functools.cache(build)  # type: ignore[attr-defined]


def _no_done(app: Any) -> None:
    """Keep questionary's English "done" out of a checkbox's last frame (drawn just before it is erased).

    The prompt line's text comes from the PromptSession that questionary builds; it is found
    through the layout and its answer token replaced. Without it, only that frame differs.
    """
    from prompt_toolkit.formatted_text import to_formatted_text
    from prompt_toolkit.shortcuts import PromptSession

    sessions: list[Any] = []
    for window in app.layout.find_all_windows():
        for cell in getattr(getattr(window.content, "text", None), "__closure__", None) or ():
            owner = getattr(cell.cell_contents, "__self__", cell.cell_contents)
            if isinstance(owner, PromptSession) and callable(owner.message) and owner not in sessions:
                sessions.append(owner)
    for session in sessions:
        original = session.message

        def message(original: Any = original) -> Any:
            return [(style, "" if style == "class:answer" else text, *rest)
                    for style, text, *rest in to_formatted_text(original())]

        session.message = message


def path_problem(path: Path | None, force: bool, lang: str) -> str | None:
    """Why a file cannot be written there, or None."""
    if path is None:
        return ui_text("path_empty", lang)
    if path.exists() and (not force or path.is_dir()):
        return ui_text("path_exists", lang, path=path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        return ui_text("path_no_dir", lang, path=parent)
    return None


def free_name(stem: str, suffix: str) -> str:
    """`stem.suffix`, or `stem-2.suffix`... when that exists, as the default offered for a new file."""
    candidate = f"{stem}.{suffix}"
    n = 2
    while Path(candidate).exists():
        candidate = f"{stem}-{n}.{suffix}"
        n += 1
    return candidate
