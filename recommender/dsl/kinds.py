"""The base fact kinds and their fields: one schema for the facts builder (facts.py), which makes
every base fact through `fact()`, and the rule checker (rules.py), which rejects a pattern that
names a field its kind does not have."""

from __future__ import annotations

from typing import Any

# The fields of each base fact kind, as the facts builder asserts them.
BASE_KINDS: dict[str, tuple[str, ...]] = {
    "req": ("req", "importance", "weight", "group", "positive", "must"),
    "cap": ("tool", "req", "level", "factor", "component", "maturity", "claim", "met", "strong",
            "bundled", "group", "ev"),
    "project": ("tool", "status", "maturity", "ev"),
    "component": ("tool", "component", "role", "status", "ev"),
    "support": ("tool", "component", "dim", "value", "level", "ev"),
    "support_req": ("tool", "component", "dim", "value", "req", "level", "ev"),
    "support_stable": ("tool", "component", "dim", "value", "req", "ev"),
    "integration": ("tool", "with", "component", "maturity", "ev"),
    "ctx": ("key", "value"),
    "totals": ("weight",),
    "platform": ("tool", "platform", "component", "ev"),
}
# The kinds read from the support tables: asserted only for the team's own context values.
SUPPORT_KINDS = frozenset({"support", "support_req"})
# Facts asserted only for the team's own context values (a router the team does not run is absent).
CONTEXT_SCOPED_KINDS = SUPPORT_KINDS | {"support_stable"}
# The base kinds built from the requirements themselves; the rest come from the knowledge base and
# the team's context, which what-if variants of one team's requirements share.
VARIANT_KINDS = frozenset({"req", "totals"})

_FIELDS = {kind: frozenset(fields) for kind, fields in BASE_KINDS.items()}


def fact(kind: str, **fields: Any) -> dict[str, Any]:
    """A base fact with exactly its kind's fields: the rules match fields by name, so a missing or
    misspelt one would make a rule silently never fire."""
    if fields.keys() != _FIELDS[kind]:
        missing, extra = sorted(_FIELDS[kind] - fields.keys()), sorted(fields.keys() - _FIELDS[kind])
        raise ValueError(f"a {kind} fact needs exactly {', '.join(BASE_KINDS[kind])}; missing {missing}, extra {extra}")
    return {"kind": kind, **fields}
