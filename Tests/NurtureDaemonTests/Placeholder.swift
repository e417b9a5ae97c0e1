// Replaced by daemon tests.
