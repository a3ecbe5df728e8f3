"""Writing Requirements back as a requirements YAML file that batch mode reads unchanged.

The output is laid out by hand (catalogue order, the title as a comment on each line) because a
person will edit it next; every value goes through the YAML emitter, so a value such as `yes` or
`1.0` is quoted and reads back as the same string.
"""

from __future__ import annotations

import yaml

from .catalogue import Catalogue
from .models import Requirements
from .strings import pick


def _scalar(value: str | int) -> str:
    """One value as a YAML flow scalar (quoted only when plain would change its type)."""
    dumped: str = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10_000)
    return dumped.strip()[1:-1]


def _comment(text: str) -> str:
    return " ".join(text.split())  # a title never breaks the line it annotates


def dump_requirements(requirements: Requirements, catalogue: Catalogue | None = None, *, lang: str = "en",
                      header: str | None = None) -> str:
    """The requirements as YAML; `load_requirements` on the result gives an equal Requirements."""
    lines: list[str] = []
    if header:
        lines += [f"# {_comment(part)}" if part.strip() else "#" for part in header.splitlines()]
    lines.append("version: 1")

    context = requirements.context.model_dump(exclude_defaults=True)
    order = list(catalogue.contexts) if catalogue else []
    keys = [k for k in order if k in context] + sorted(k for k in context if k not in order)
    if keys:
        lines.append("context:")
        for key in keys:
            value = context[key]
            note = f"  # {_comment(pick(catalogue.contexts[key].title, lang))}" \
                if catalogue and key in catalogue.contexts else ""
            if isinstance(value, list):
                lines.append(f"  {key}: [{', '.join(_scalar(v) for v in value)}]{note}")
            else:
                lines.append(f"  {key}: {_scalar(value)}{note}")

    if requirements.requirements:
        ids = catalogue.ids if catalogue else []
        present = [i for i in ids if i in requirements.requirements]
        present += sorted(i for i in requirements.requirements if i not in ids)
        lines.append("requirements:")
        for req_id in present:
            title = ""
            if catalogue and req_id in ids:
                title = f"  # {_comment(pick(catalogue.requirement(req_id).title, lang))}"
            lines.append(f"  {_scalar(req_id)}: {requirements.requirements[req_id]}{title}")
    else:
        lines.append("requirements: {}")

    if requirements.notes is not None:
        lines.append(yaml.safe_dump({"notes": requirements.notes}, allow_unicode=True, width=100,
                                    default_flow_style=False).rstrip("\n"))
    return "\n".join(lines) + "\n"
