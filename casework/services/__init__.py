"""The only code that changes state (DESIGN invariant 1). Every function here runs in one transaction,
writes its history rows in it, and queues its side effects in the outbox."""
