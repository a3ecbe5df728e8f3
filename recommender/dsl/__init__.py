"""The rule language: the fact kinds, the rule model, its checks and the compiler onto durable-rules."""
