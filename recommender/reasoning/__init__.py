"""From requirements to a ranking: facts, the engine run, scoring, explanations, what-if variants, traces."""
