"""The downloader example: a resilient HTTP download command (see README.md here).

It plugs into the project at one command, ``cli.download``, registered in
the project's ``cli.py``, and its settings fields, mixed into ``settings.py``.
"""
