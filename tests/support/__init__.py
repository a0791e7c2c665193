"""Helpers the tests share: small instances, the random generator, the independent recheck."""
