"""Work: the service catalog, work items and their state machine, the queue, QA, comments and files."""
