// Replaced by the store protocol suite.
