"""Embedding the library: rank the tools for requirements built in code, then read the result."""

from __future__ import annotations

from recommender import Requirements, recommend


def main() -> None:
    requirements = Requirements(
        requirements={"gitops_sync": "must", "canary": "high", "web_ui": "medium"},
        context={"traffic_router": "istio", "metrics_provider": "prometheus"},  # type: ignore[arg-type]
    )
    rec = recommend(requirements)
    for tool in rec.ranking:
        print(f"{tool.rank}. {tool.name}: {tool.score:.1f} ({tool.verdict})")
    print("stack:", " + ".join(part.name for part in rec.stack))
    print(rec.order_reason)


if __name__ == "__main__":
    main()
