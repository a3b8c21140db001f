"""Tests of the repository as a whole (the browser tests are in tests/e2e)."""
