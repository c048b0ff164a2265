"""Where the program starts: the console script and ``python -m`` call ``main``.

Importing the command line takes most of a start-up (click alone, tens of
milliseconds), and Ctrl-C in that time would print Python's traceback of
the imports. So ``main`` sets the stop signals' handlers first, then imports
the command line and runs it: from then to its last moment, a stop signal
ends the program as the boundary does, with one line and 128+N. Importing
the package (as a library does) sets no handler.
"""

import signal

from .signals import StoppedError, stop_signals_raise, stopped


def main() -> None:
    """Run the command line, every stop signal handled from the first moment.

    Once it has ended, the exit code is decided: the stop signals are
    ignored while the interpreter exits, where a handler of Python's would
    print a traceback (``atexit``).
    """
    try:
        with stop_signals_raise(afterwards=signal.SIG_IGN):
            from {{ cookiecutter.package_name }}.cli import main as command_line  # noqa: PLC0415 -- once handled

            command_line()
    except StoppedError as exc:
        raise stopped(exc.signum) from None
