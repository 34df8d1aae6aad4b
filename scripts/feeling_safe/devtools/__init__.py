"""Developer tools: `make serve` (live reload, restarted on code changes) and the lock check."""
