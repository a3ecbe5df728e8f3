"""The requirement vocabulary: ids, groups, titles and context keys (knowledge/catalogue.yaml)."""

from __future__ import annotations

from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

Text = dict[str, str]  # language code -> text; "en" is always present


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Group(_Strict):
    id: str
    title: Text
    layer: Text
    gate: Text = Field(default_factory=dict)
    help: Text = Field(default_factory=dict)


class RequirementDef(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    group: str
    title: Text
    definition: Text
    help: Text = Field(default_factory=dict)
    follow_up_of: str | None = None


class ContextDef(_Strict):
    title: Text
    values: list[str] = Field(default_factory=list)
    multi: bool = False
    integer: bool = False
    help: Text = Field(default_factory=dict)


class Catalogue(_Strict):
    version: int
    groups: list[Group]
    requirements: list[RequirementDef]
    contexts: dict[str, ContextDef]

    def requirement(self, req_id: str) -> RequirementDef:
        return self._requirements[req_id]

    @cached_property
    def _requirements(self) -> dict[str, RequirementDef]:
        return {r.id: r for r in self.requirements}

    @cached_property
    def groups_by_requirement(self) -> dict[str, str]:
        return {r.id: r.group for r in self.requirements}

    @cached_property
    def ids(self) -> list[str]:
        return [r.id for r in self.requirements]

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)
