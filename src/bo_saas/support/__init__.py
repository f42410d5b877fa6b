"""The support desk: a tenant's customers answered by email under its brand."""
