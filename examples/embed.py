"""Embedding the library: rank the tools for requirements built in code, then read the result."""

from __future__ import annotations

from recommender import Context, Requirements, recommend


def main() -> None:
    requirements = Requirements(
        requirements={"gitops_sync": "must", "canary": "high", "web_ui": "medium"},
        context=Context(traffic_router="istio", metrics_provider="prometheus"),
    )
    rec = recommend(requirements)
    print(rec)  # the one-line answer
    for tool in rec.ranking:
        print(tool)  # "1. Argo: 93.4 (recommended)"
    print("stack:", " + ".join(part.name for part in rec.stack))
    print(rec.order_reason)


if __name__ == "__main__":
    main()
