"""The knowledge base: tool facts and capability claims, each with evidence and a checked date."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .catalogue import Catalogue, Text
from .errors import InputError, Problem
from .resources import bundled_dir
from .validation import validate
from .yamlio import load_yaml

Level = Literal["native", "companion", "plugin", "partial", "none"]
SupportLevel = Literal["supported", "partial", "none"]
LEVELS: tuple[str, ...] = ("native", "companion", "plugin", "partial", "none")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _as_text(value: object) -> object:
    """A plain string is the English text; a mapping gives it per language."""
    return {"en": value} if isinstance(value, str) else value


# Free text in the knowledge base: "..." (English) or {en: "...", ko: "..."}.
LocalText = Annotated[Text, BeforeValidator(_as_text)]


def _web_address(value: str) -> str:
    """An http(s) address with a host and no spaces, kept exactly as the knowledge file wrote it
    (pydantic's HttpUrl would rewrite it, e.g. add a trailing slash, and costs an import)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise ValueError(f"not a web address: {value!r}")
    return value


def _https(urls: list[str]) -> list[str]:
    for url in urls:
        if not url.startswith("https://"):
            raise ValueError(f"evidence must be an https URL, got {url}")
    return urls


WebAddress = Annotated[str, AfterValidator(_web_address)]


class Evidenced(_Strict):
    evidence: list[WebAddress] = Field(min_length=1)
    checked: dt.date

    _check_https = field_validator("evidence")(_https)


class Release(_Strict):
    version: str
    date: dt.date


class Cncf(_Strict):
    maturity: Literal["sandbox", "incubating", "graduated", "archived", "none"]
    sandbox: dt.date | None = None
    incubating: dt.date | None = None
    graduated: dt.date | None = None
    archived: dt.date | None = None


class Project(Evidenced):
    homepage: WebAddress | None = None
    repo: WebAddress | None = None
    cncf: Cncf
    status: Literal["active", "maintenance", "archived"]
    license: str
    latest_release: Release | None = None
    vendors: list[str] = Field(default_factory=list)
    notes: list[LocalText] = Field(default_factory=list)


class SupportValue(_Strict):
    level: SupportLevel
    note: LocalText = Field(default_factory=dict)
    # Requirements this support does not fully extend to, with their own level: a router that takes
    # weights but cannot route by header does A/B testing at most in part. It can also raise one:
    # Flagger drives no traffic router on plain Kubernetes networking, yet switches a Service there
    # for blue-green.
    per_requirement: dict[str, SupportLevel] = Field(default_factory=dict)
    # Requirements this value serves at GA although the capability is alpha or beta in general: on
    # NGINX, Argo Rollouts routes A/B by a canary-by-header annotation, not its alpha header route.
    stable_for: list[str] = Field(default_factory=list)


class SupportTable(Evidenced):
    values: dict[str, SupportValue]

    @field_validator("values", mode="before")
    @classmethod
    def _short_form(cls, raw: object) -> object:
        if isinstance(raw, dict):
            return {k: {"level": v} if isinstance(v, str) else v for k, v in raw.items()}
        return raw


class Component(Evidenced):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    name: str
    role: Literal["gitops_engine", "progressive_delivery", "workflow_engine", "event_engine",
                  "workload_controller", "quality_gates", "ui", "other"]
    status: Literal["active", "maintenance", "archived", "eol"] = "active"
    license: str = ""
    latest_release: Release | None = None
    supports: dict[Literal["traffic_router", "metrics_provider", "workload_kinds"], SupportTable] = Field(
        default_factory=dict)
    note: LocalText = Field(default_factory=dict)


class Claim(Evidenced):
    level: Level
    component: str | None = None
    note: LocalText
    maturity: Literal["ga", "beta", "alpha"] = "ga"
    claim: Literal["official", "vendor_claimed", "disputed"] = "official"
    # The core component does it, but only once the team installs an optional part of it (Flux's
    # image automation controllers are extra components): what is not installed is not brought.
    opt_in: bool = False

    @model_validator(mode="after")
    def _component_unless_none(self) -> Claim:
        if self.level != "none" and not self.component:
            raise ValueError("a claim with a level other than none must name its component")
        return self


class Integration(Evidenced):
    """A documented way to run this tool with another family, naming the components involved."""

    with_: str = Field(alias="with")
    components: list[str] = Field(min_length=1)  # this tool's components in the pairing
    partner_components: list[str] = Field(min_length=1)  # the partner's components in it
    maturity: Literal["ga", "preview"] = "ga"
    # One way: this tool keeps its components and adds the partner's (Flux with Argo Rollouts);
    # the partner's own deployment gains nothing from it (Argo CD would not add a Flux engine).
    one_way: bool = False
    note: LocalText


class Platform(Evidenced):
    """A platform that ships or manages this tool for its users (e.g. OpenShift GitOps is Argo CD)."""

    platform: str
    component: str
    note: LocalText


class Tool(_Strict):
    tool: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    name: str
    summary: Text
    project: Project
    components: list[Component] = Field(min_length=1)
    capabilities: dict[str, Claim]
    integrations: list[Integration] = Field(default_factory=list)
    platforms: list[Platform] = Field(default_factory=list)

    def component(self, component_id: str) -> Component:
        return self._components[component_id]

    @cached_property
    def _components(self) -> dict[str, Component]:
        return {c.id: c for c in self.components}


class MovedLocation(_Strict):
    """Docs that moved: evidence under `from` (and not under `to`) points to the old place."""

    from_: WebAddress = Field(alias="from")
    to: WebAddress
    since: str = ""  # when it moved, as the project announced it (e.g. 2022-12)


class Manifest(_Strict):
    revision: str
    as_of: dt.date
    stale_after_days: int = 180
    # A latest_release older than this, counted back from as_of, is due a check for a newer one.
    release_stale_after_days: int = 120
    moved_locations: list[MovedLocation] = Field(default_factory=list)
    description: str = ""


class KnowledgeBase(_Strict):
    """Everything the engine knows, validated. Immutable once loaded."""

    directory: str
    digest: str  # of the files' content: names compiled caches
    manifest: Manifest
    catalogue: Catalogue
    tools: tuple[Tool, ...]

    def tool(self, tool_id: str) -> Tool:
        return self._by_id[tool_id]

    @cached_property
    def _by_id(self) -> dict[str, Tool]:
        return {t.tool: t for t in self.tools}


def _cross_check(tools: list[Tool], catalogue: Catalogue, files: dict[str, str]) -> list[Problem]:
    """What a single file's model cannot see: ids against the catalogue and the other files."""
    problems: list[Problem] = []
    ids = set(catalogue.ids)
    known_tools = {t.tool for t in tools}
    for tool in tools:
        file = files[tool.tool]
        components = {c.id for c in tool.components}
        for missing in sorted(ids - set(tool.capabilities)):
            problems.append(Problem(file, f"capabilities.{missing}", "capability not decided",
                                    "add it with a level (none if the tool does not offer it) and evidence"))
        for extra in sorted(set(tool.capabilities) - ids):
            problems.append(Problem(file, f"capabilities.{extra}", "unknown capability id",
                                    "use an id from catalogue.yaml, or add it there first"))
        for cap_id, claim in tool.capabilities.items():
            if claim.component and claim.component not in components:
                problems.append(Problem(file, f"capabilities.{cap_id}.component",
                                        f"unknown component {claim.component!r}",
                                        f"use one of: {', '.join(sorted(components))}"))
        for comp in tool.components:
            for dim, table in comp.supports.items():
                allowed = set(catalogue.contexts[dim].values) if dim in catalogue.contexts else set()
                for value in sorted(set(table.values) - allowed):
                    problems.append(Problem(file, f"components.{comp.id}.supports.{dim}.{value}",
                                            "unknown context value", f"use one of: {', '.join(sorted(allowed))}"))
                for value in sorted(allowed - set(table.values)):
                    problems.append(Problem(file, f"components.{comp.id}.supports.{dim}.{value}",
                                            "context value not decided", "add it: supported, partial or none"))
                for value, support in sorted(table.values.items()):
                    where = f"components.{comp.id}.supports.{dim}.{value}.per_requirement"
                    for req_id, level in sorted(support.per_requirement.items()):
                        if req_id not in ids:
                            problems.append(Problem(file, f"{where}.{req_id}", f"unknown requirement id {req_id!r}",
                                                    "use an id from catalogue.yaml"))
                        elif level == support.level:
                            problems.append(Problem(file, f"{where}.{req_id}", "the same level as the value's own",
                                                    "drop the line: it changes nothing"))
                    for req_id in support.stable_for:
                        if req_id not in ids:
                            problems.append(Problem(file, f"components.{comp.id}.supports.{dim}.{value}.stable_for",
                                                    f"unknown requirement id {req_id!r}",
                                                    "use an id from catalogue.yaml"))
            if comp.role == "progressive_delivery":
                for dim in ("traffic_router", "metrics_provider", "workload_kinds"):
                    if dim not in comp.supports:
                        problems.append(Problem(file, f"components.{comp.id}.supports.{dim}",
                                                "a progressive-delivery component must decide this table",
                                                "add the table with every value from catalogue.yaml"))
        platforms = catalogue.contexts["platform"].values if "platform" in catalogue.contexts else []
        for entry in tool.platforms:
            if entry.platform not in platforms:
                problems.append(Problem(file, f"platforms.{entry.platform}", "unknown platform",
                                        f"use one of: {', '.join(platforms)}"))
            if entry.component not in components:
                problems.append(Problem(file, f"platforms.{entry.platform}.component",
                                        f"unknown component {entry.component!r}",
                                        f"use one of: {', '.join(sorted(components))}"))
        by_id = {t.tool: t for t in tools}
        for integ in tool.integrations:
            if integ.with_ not in known_tools:
                problems.append(Problem(file, "integrations", f"unknown tool {integ.with_!r}",
                                        f"use one of: {', '.join(sorted(known_tools))}"))
                continue
            partner_ids = {c.id for c in by_id[integ.with_].components}
            for comp_id in sorted(set(integ.components) - components):
                problems.append(Problem(file, f"integrations.{integ.with_}.components",
                                        f"unknown component {comp_id!r}",
                                        f"use one of: {', '.join(sorted(components))}"))
            for comp_id in sorted(set(integ.partner_components) - partner_ids):
                problems.append(Problem(file, f"integrations.{integ.with_}.partner_components",
                                        f"unknown component {comp_id!r} of {integ.with_}",
                                        f"use one of: {', '.join(sorted(partner_ids))}"))
    return problems


def load_knowledge(directory: Path | str | None = None) -> KnowledgeBase:
    """Load and validate a knowledge directory (the bundled one by default)."""
    root = Path(directory) if directory is not None else bundled_dir("knowledge")
    if not root.is_dir():
        raise InputError([Problem(str(root), "", "knowledge directory not found",
                                  "pass a directory holding manifest.yaml, catalogue.yaml and tool files")])
    problems: list[Problem] = []
    manifest = catalogue = None
    for name in ("manifest.yaml", "catalogue.yaml"):
        if not (root / name).is_file():
            problems.append(Problem(str(root / name), "", "missing",
                                    f"copy {name} from the bundled knowledge (recommender kb path)"))
    if problems:
        raise InputError(problems)
    try:
        manifest = validate(Manifest, load_yaml(root / "manifest.yaml"))
    except InputError as exc:
        problems += exc.problems
    try:
        catalogue = validate(Catalogue, load_yaml(root / "catalogue.yaml"))
    except InputError as exc:
        problems += exc.problems
    tools: list[Tool] = []
    files: dict[str, str] = {}
    tool_files = sorted(p for p in root.glob("*.yaml") if p.name not in ("manifest.yaml", "catalogue.yaml"))
    digest = hashlib.sha256()
    for path in sorted(root.glob("*.yaml")):
        with contextlib.suppress(OSError):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for path in tool_files:
        try:
            tool = validate(Tool, load_yaml(path))
        except InputError as exc:
            problems += exc.problems
            continue
        if tool.tool in files:
            problems.append(Problem(str(path), "tool", f"tool id {tool.tool!r} also in {files[tool.tool]}",
                                    "give each tool file its own id"))
            continue
        files[tool.tool] = str(path)
        tools.append(tool)
    if not tool_files:
        problems.append(Problem(str(root), "", "no tool files", "add at least one <tool>.yaml"))
    if catalogue is not None:
        problems += _cross_check(tools, catalogue, files)
    if problems:
        raise InputError(problems)
    assert manifest is not None and catalogue is not None
    return KnowledgeBase(directory=str(root), digest=digest.hexdigest()[:16], manifest=manifest, catalogue=catalogue,
                         tools=tuple(sorted(tools, key=lambda t: t.tool)))
