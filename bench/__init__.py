"""``nox -s bench``: how long each timeline page takes as the data grows."""
