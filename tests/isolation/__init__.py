"""The isolation walker: its engine (``walker``), its tests, and one route fragment per domain."""
