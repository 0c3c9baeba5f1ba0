"""One module per record field; each reads matches of its own rules from a Document."""
