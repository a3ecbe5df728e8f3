"""What would change the answer: every one-step change of a stated importance re-run (the musts
first, up to the cap in parameters.yaml), and, when no tool fits, the smallest sets of musts whose
relaxing lets one fit, found from what each tool fails rather than by trying every subset."""

from __future__ import annotations

from collections.abc import Callable

from ..models import Recommendation, Requirements, Sensitivity, WhatIf
from ..strings import pick
from .ranking import top_pick
from .variants import Outcome
from .wording import Wording

RELAX = {"must": "high", "high": "medium", "medium": "nice", "nice": "dropped", "avoid": "dropped"}
RAISE = {"nice": "medium", "medium": "high", "high": "must"}
# The outcomes of several variants at once (variants.outcomes), and the musts each tool fails in
# each of them from the verdict rules alone (variants.failing_musts).
Outcomes = Callable[[list[Requirements]], "list[Outcome]"]
Failing = Callable[[list[Requirements]], "list[dict[str, frozenset[str]]]"]
# The outcomes of the variants the base run can answer, by position (variants.replayed).
Replay = Callable[[list[Requirements]], "dict[int, Outcome]"]


def sensitivity(requirements: Requirements, rec: Recommendation, words: Wording, outcomes: Outcomes,
                failing: Failing | None = None, replay: Replay | None = None) -> Sensitivity:
    """Re-run the engine with each stated requirement one step lower and one step higher.

    With `replay`, the steps it can answer from the base run (variants.replayed: those the rules
    see only as new weights, a requirement dropped, or a must made high that blocked nothing else)
    are answered so. Those that touch no must cost a ranking and are all taken; the cap counts
    the rest, whoever answers them.

    With `failing`, a no-fit in which every tool is excluded by a must is analysed cheaply: a
    variant can only give a fit by lifting an exclusion, so only the musts some tool fails are
    relaxed, and each variant is first asked which musts it still fails (verdict rules alone);
    scores are computed only where some tool fails none. This rests on the rules never excluding
    a tool for relaxing a must, which the bundled rules keep (a test compares both ways).
    """
    current = rec.top.tool if rec.top else None
    excluded = {r.tool: frozenset(e.requirement for e in r.exclusions) for r in rec.ranking
                if r.verdict == "excluded"}
    pruned = failing is not None and current is None and len(excluded) == len(rec.ranking) > 0
    confirm = _confirmer(outcomes, failing if pruned else None, len(rec.ranking))
    outcome = top_pick(rec.ranking)  # as outcomes() reports each variant's
    steps: list[tuple[str, str, str]] = []
    variants: list[Requirements] = []
    for req_id, importance in sorted(requirements.requirements.items()):
        for target in (RELAX.get(importance), RAISE.get(importance)):
            if target is None:
                continue
            if pruned and not (importance == "must" and any(req_id in f for f in excluded.values())):
                continue  # no fit either way: only lifting an exclusion could give one
            variant = dict(requirements.requirements)
            if target == "dropped":
                del variant[req_id]
            else:
                variant[req_id] = target  # type: ignore[assignment]
            steps.append((req_id, importance, target))
            variants.append(requirements.model_copy(update={"requirements": variant}))
    # The cost bound: a file stating every requirement has ~100 single changes, and each engine
    # re-run costs in proportion to the requirements it states (Parameters.what_if_cap). A step
    # that touches no must and that the base run answers costs a ranking (about a tenth of a
    # re-run): those are all taken. The rest count against the cap, whether the base run answers
    # them (a must made high: following what it takes away costs about a third of a re-run) or the
    # engine does; those that touch a must (they can exclude or admit a tool) go first, then the
    # largest changes of weight.
    weights: dict[str, float] = {str(k): v for k, v in words.messages.importance_weights.items()}
    cap = words.messages.what_if_cap(len(requirements.requirements))
    touch_must = {i for i in range(len(steps)) if "must" in steps[i][1:]}
    answered = _replayed(replay, variants, [i for i in range(len(steps)) if i not in touch_must], pruned)
    order = sorted((i for i in range(len(steps)) if i not in answered), key=lambda i: (
        i not in touch_must, -abs(weights.get(steps[i][2], 0.0) - weights.get(steps[i][1], 0.0)), i))
    kept = sorted(order[:cap])
    left_out = [steps[i] for i in order[cap:]]
    answered.update(_replayed(replay, variants, [i for i in kept if i in touch_must], pruned))
    engine = [i for i in kept if i not in answered]
    rerun = dict(zip(engine, confirm([variants[i] for i in engine]), strict=True)) if engine else {}
    run = sorted({*answered, *kept})
    steps = [steps[i] for i in run]
    found = [answered[i] if i in answered else rerun[i] for i in run]
    runs = len(steps)
    changes: list[WhatIf] = []
    for (req_id, old, new), result in zip(steps, found, strict=True):
        if result.top == outcome:
            continue
        new_top, _, tie = (result.top or "").partition("|")
        changes.append(WhatIf(requirement=req_id, importance_from=old, importance_to=new,
                              new_top=new_top or None, tie_with=tie or None,
                              text=_what_if_text(words, req_id, old, new, result.top)))
    relaxations: list[list[str]] = []
    leaders: list[str] = []
    searched = 0
    if current is None and any(i == "must" for i in requirements.requirements.values()):
        single = {req_id: result for (req_id, old, new), result in zip(steps, found, strict=True)
                  if old == "must" and new == "high"}
        relaxations, leaders, searched = _smallest_relaxations(requirements, excluded, single, confirm)
        runs += searched
    robust = not changes
    if current is None and relaxations:
        text = words.message("what_if_no_fit", options=relax_options(words, relaxations, leaders),
                              searched=searched)
    elif current is None and any(i == "must" for i in requirements.requirements.values()):
        text = words.message("what_if_no_relaxation", runs=runs)
    elif current is None:  # no must to relax: nothing scores at all
        text = words.message("what_if_nothing_scores", count=len(changes), runs=runs)
    elif outcome and "|" in outcome:  # a tie only the tie-break settles: say so, not "robust (first)"
        first, second = (words.name_of(t) for t in outcome.split("|", 1))
        text = words.message("what_if_tie_robust" if robust else "what_if_tie_fragile", first=first,
                              second=second, count=len(changes), runs=runs)
    elif robust:
        text = words.message("what_if_robust", runs=runs, top=words.name_of(current))
    else:
        text = words.message("what_if_fragile", count=len(changes), runs=runs, top=words.name_of(current))
    if left_out:
        total = sum(weights[i] for i in requirements.requirements.values() if i != "avoid")
        delta = max(abs(weights.get(new, 0.0) - weights.get(old, 0.0)) for _r, old, new in left_out)
        text += " " + words.message("what_if_capped", skipped=len(left_out), steps=len(left_out) + len(steps),
                                     cap=cap, stated=len(requirements.requirements), delta=f"{delta:g}",
                                     total=f"{total:g}",
                                     musts=sum(new == "must" for _r, _old, new in left_out))
    return Sensitivity(robust=robust, changes=changes, runs=runs, relaxations_for_fit=relaxations,
                       leaders_after_relaxing=leaders, text=text)
def _replayed(replay: Replay | None, variants: list[Requirements], which: list[int],
              pruned: bool) -> dict[int, Outcome]:
    """The outcomes the base run answers among the variants at positions `which`, by position."""
    if replay is None or pruned or not which:
        return {}
    found = replay([variants[i] for i in which])
    return {which[j]: outcome for j, outcome in found.items()}


def relaxation_candidates(failing: dict[str, frozenset[str]],
                          single: dict[str, Outcome]) -> list[frozenset[str]]:
    """Sets of musts whose relaxation could give a fit, smallest first, found without a search over
    subsets: each excluded tool's failing musts, and for every must relaxed alone (the what-if
    re-runs), that must plus what each tool still fails then. Relaxing one must can let a partner
    in (a governance must that kept it out), so the second kind can be smaller than the first.

    At most (musts + 1) x tools candidates, so the cost grows with the number of musts, never
    with the number of their subsets."""
    found: set[frozenset[str]] = {f for f in failing.values() if f}
    for must, result in single.items():
        if result.top is not None:
            found.add(frozenset({must}))
        found.update(frozenset({must}) | f for f in result.failing.values())
    return sorted(found, key=lambda s: (len(s), sorted(s)))
def _confirmer(outcomes: Outcomes, failing: Failing | None, tools: int) -> Outcomes:
    """outcomes(), or with `failing` the same answers for variants that cannot fit: the verdict
    rules first, and the full scoring rules only for the variants where some tool fails no must."""
    if failing is None:
        return outcomes

    def confirm(variants: list[Requirements]) -> list[Outcome]:
        fails = failing(variants)
        open_ = [i for i, f in enumerate(fails) if len(f) < tools]
        scored = dict(zip(open_, outcomes([variants[i] for i in open_]), strict=True)) if open_ else {}
        return [scored.get(i) or Outcome(None, f) for i, f in enumerate(fails)]

    return confirm
def _smallest_relaxations(requirements: Requirements, failing: dict[str, frozenset[str]],
                          single: dict[str, Outcome], outcomes: Outcomes) -> tuple[list[list[str]], list[str], int]:
    """The smallest candidate relaxations that the engine confirms give a fit, and their leaders.

    Candidates are checked size by size, so only the sizes up to the first that works are run."""
    candidates = relaxation_candidates(failing, single)
    searched = 0
    for size in sorted({len(c) for c in candidates}):
        group = [c for c in candidates if len(c) == size]
        if size == 1:  # the what-if re-runs already relaxed each must alone
            results = [single[next(iter(c))].top if next(iter(c)) in single else None for c in group]
        else:
            searched += len(group)
            relaxed = [requirements.model_copy(update={"requirements": {**requirements.requirements,
                                                                        **dict.fromkeys(subset, "high")}})
                       for subset in group]
            results = [o.top for o in outcomes(relaxed)]
        hits = [(sorted(c), top) for c, top in zip(group, results, strict=True) if top is not None]
        if hits:
            return [h[0] for h in hits], [str(h[1]).partition("|")[0] for h in hits], searched
    return [], [], searched
def relax_options(words: Wording, relaxations: list[list[str]], leaders: list[str]) -> str:
    """'relax A + B (then X leads); relax C (then Y leads)', from re-runs of the engine."""
    return "; ".join(words.message("relax_option", musts=" + ".join(words.req_title(m) for m in subset),
                                    tool=words.name_of(leader))
                     for subset, leader in zip(relaxations, leaders, strict=True)) or "-"
def _what_if_text(words: Wording, req_id: str, old: str, new: str, new_top: str | None) -> str:
    names = {k: pick(v, words.lang) for k, v in words.messages.messages.items() if k.startswith("importance_")}
    values = {"requirement": words.req_title(req_id), "from": names.get(f"importance_{old}", old),
              "to": names.get(f"importance_{new}", new), "top": ""}
    if new_top is None:
        return words.message("what_if_change_no_fit", **values)
    if "|" in new_top:  # a tie that only the tie-break (musts met, maturity, name) settles
        first, second = new_top.split("|", 1)
        key = "what_if_change_tie_dropped" if new == "dropped" else "what_if_change_tie"
        return words.message(key, **values, first=words.name_of(first), second=words.name_of(second))
    values["top"] = words.name_of(new_top)
    key = "what_if_change_dropped" if new == "dropped" else "what_if_change"
    return words.message(key, **values)
