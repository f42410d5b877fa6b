"""The Data entry desk: record schemas, batches of rows from files, chunks worked as items, records."""
