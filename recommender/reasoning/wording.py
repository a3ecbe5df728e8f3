"""The report's words: tool, component and requirement names, the messages in parameters.yaml, and
each fired effect's text filled from the facts it matched, with its evidence. The ranking and the
explanations both speak through it; it computes no score."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from ..dsl.compile import Bindings, field_getter
from ..dsl.kinds import SUPPORT_KINDS
from ..dsl.model import Effect, RuleBase
from ..knowledge import KnowledgeBase
from ..korean import particles
from ..strings import pick
from .engine import Firing


class _Values(dict[str, Any]):
    """Template values; a name the template uses but the firing lacks shows as "?"."""

    def __missing__(self, key: str) -> str:
        return "?"


def fill(template: str, values: dict[str, Any]) -> str:
    text = template.format_map(_Values(values))
    # A Korean template pairs the particles after its values ("{tool}이(가)"); they agree once filled.
    return particles(text) if not template.isascii() and "(" in template else text


@lru_cache(maxsize=1024)
def template_names(template: str) -> tuple[frozenset[str], frozenset[str]]:
    """The root names a template uses ({r.req} -> r), and the aliases whose {alias.note} it shows."""
    roots: set[str] = set()
    noted: set[str] = set()
    for _literal, name, _spec, _conversion in string.Formatter().parse(template):
        if name:
            root, _, rest = name.partition(".")
            root = root.split("[", 1)[0]
            roots.add(root)
            if rest.startswith("note"):
                noted.add(root)
    return frozenset(roots), frozenset(noted)


@dataclass
class Resolved:
    rule: str
    effect: Effect
    fields: dict[str, Any]
    text: str
    evidence: list[str]


class Wording:
    """Names, titles, messages and effect texts for one knowledge base, rule base and language."""

    def __init__(self, kb: KnowledgeBase, rules: RuleBase, evidence: dict[str, list[str]], lang: str,
                 *, texts: bool = True) -> None:
        self.texts = texts  # what-if re-runs need only scores and verdicts
        self.kb = kb
        self.rules = rules
        self.evidence = evidence
        self.lang = lang
        self.effects = rules.effects_by_rule
        self.messages = rules.parameters
        self._getters: dict[tuple[str, int], list[tuple[str, Callable[[Bindings], Any]]]] = {}

    def name_of(self, tool_id: str) -> str:
        try:
            return self.kb.tool(tool_id).name
        except KeyError:
            return tool_id

    def component_name(self, tool_id: str, component_id: str) -> str:
        try:
            return self.kb.tool(tool_id).component(component_id).name
        except KeyError:
            return component_id

    def req_title(self, req_id: str) -> str:
        try:
            return pick(self.kb.catalogue.requirement(req_id).title, self.lang)
        except KeyError:
            return req_id

    def message(self, key: str, **values: Any) -> str:
        template = self.messages.messages.get(key, {})
        return fill(pick(template, self.lang), values)

    def resolve(self, firing: Firing, fields: dict[str, Any] | None = None) -> Resolved:
        effect = self.effects[firing.rule][firing.effect]
        if fields is None:
            fields = self.fields(firing)
        if not self.texts:
            return Resolved(firing.rule, effect, fields, "", [])
        template = pick(effect.text, self.lang) if effect.text else ""
        # Only what the template names is looked up: a report has thousands of lines at scale.
        names, noted = template_names(template)
        values: dict[str, Any] = {}
        for alias, fact in firing.bindings.items():
            if alias in names:
                values[alias] = SimpleNamespace(**fact, note=self._fact_note(fact) if alias in noted else "")
        if "note" in names:  # `{note}` alone is the note of the first capability the rule matched
            values["note"] = next((self._fact_note(f) for f in firing.bindings.values() if f.get("kind") == "cap"), "")
        tool = str(fields.get("tool", ""))
        if "tool" in names:
            values["tool"] = self.name_of(tool)
        if "requirement" in names and "requirement" in fields:
            values["requirement"] = self.req_title(str(fields["requirement"]))
        if "component" in names:
            component = fields.get("component") or next(
                (f["component"] for f in firing.bindings.values() if f.get("component") and f.get("tool") == tool), "")
            if component:
                values["component"] = self.component_name(str(fields.get("owner") or tool), str(component))
        if "layer" in names and fields.get("layer"):
            values["layer"] = pick(self.kb.catalogue.group(str(fields["layer"])).layer, self.lang)
        for key in ("by", "owner", "with"):
            if key in names and fields.get(key):
                values[key] = self.name_of(str(fields[key]))
        if "level" in names:
            for fact in firing.bindings.values():
                if "level" in fact:
                    values.setdefault("level", pick(self.messages.level_names.get(fact["level"], {}), self.lang)
                                      or fact["level"])
        text = fill(template, values).strip() if template else ""
        urls: list[str] = []
        for alias in effect.evidence:
            for url in self.evidence.get(firing.bindings[alias].get("ev", ""), []):
                if url not in urls:
                    urls.append(url)
        return Resolved(firing.rule, effect, fields, text, urls)

    def fields(self, firing: Firing) -> dict[str, Any]:
        """The effect's fields with every `$alias.field` replaced by the matched fact's value."""
        key = (firing.rule, firing.effect)
        getters = self._getters.get(key)
        if getters is None:
            effect = self.effects[firing.rule][firing.effect]
            getters = self._getters[key] = [(k, field_getter(v)) for k, v in effect.fields.items()]
        bindings = firing.bindings
        return {k: get(bindings) for k, get in getters}

    def _claim_note(self, fact: dict[str, Any]) -> str:
        try:
            return pick(self.kb.tool(fact["tool"]).capabilities[fact["req"]].note, self.lang)
        except KeyError:
            return ""

    def _fact_note(self, fact: dict[str, Any]) -> str:
        """The knowledge note behind a matched fact, in the report's language."""
        try:
            kind = fact.get("kind")
            if kind == "cap":
                return self._claim_note(fact)
            if kind in SUPPORT_KINDS:
                table = self.kb.tool(fact["tool"]).component(fact["component"]).supports[fact["dim"]]
                return pick(table.values[fact["value"]].note, self.lang)
            if kind == "platform":
                tool = self.kb.tool(fact["tool"])
                return next(pick(p.note, self.lang) for p in tool.platforms if p.platform == fact["platform"])
        except (KeyError, StopIteration):
            pass
        return ""
