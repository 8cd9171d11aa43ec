"""Hand-written helpers: streaming accumulators, structured outputs, tool runner, polling, Azure, webhooks, realtime."""
