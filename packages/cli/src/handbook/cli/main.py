"""The ``handbook`` console script: how the command starts and ends.

What each command does is in :mod:`handbook.cli.commands`. Here: a Ctrl-C,
SIGTERM or SIGHUP ends every child and temporary folder and exits 128 + the
signal's number (130 for Ctrl-C) with one line; a closed output pipe
(``handbook list | head -1``) is a normal end, without a word; user mistakes
exit 2 with one line. This module imports nothing heavy at its top, so that a
Ctrl-C while Python is still starting meets the handler too.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence

# POSIX numbers, so that this module need not import signal before the handler is set.
_SIGINT, _SIGPIPE = 2, 13


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``handbook`` console script; returns the exit code."""
    try:
        from handbook.cli import children, commands
        from handbook.cli.catalogue import Catalogue, HandbookError, find_root
        from handbook.cli.experiments import ExperimentError
    except KeyboardInterrupt:
        return _say_stopped(_SIGINT)
    try:
        with children.session():
            args = commands.build_parser().parse_args(argv)
            catalogue = Catalogue.load(find_root())
            code: int = args.func(catalogue, args)
            sys.stdout.flush()  # a closed pipe shows here, not at exit
    except (HandbookError, ExperimentError) as exc:
        print(f"handbook: error: {exc}", file=sys.stderr)
        return 2
    except children.Stopped as stop:
        if stop.signum == _SIGPIPE:
            return _quiet_pipe_end()
        return _say_stopped(stop.signum)
    except KeyboardInterrupt:  # raised before the session's handlers were in place
        return _say_stopped(_SIGINT)
    except BrokenPipeError:
        return _quiet_pipe_end()
    return code


def _say_stopped(signum: int) -> int:
    import signal

    # After a Ctrl-C the terminal shows ^C: start on a line of our own.
    what = (
        "\nhandbook: interrupted"
        if signum == _SIGINT
        else (f"handbook: stopped by {signal.Signals(signum).name}")
    )
    with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
        print(f"{what}; your working tree is unchanged", file=sys.stderr)
    return 128 + signum


def _quiet_pipe_end() -> int:
    """The reader of our output has gone (``| head``, ``| less`` then q): end quietly.

    stdout's remaining buffer is pointed at /dev/null, or Python would report
    the broken pipe again when it flushes at exit.
    """
    import os

    with contextlib.suppress(OSError, ValueError):  # ValueError: stdout is no file (a test)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 128 + _SIGPIPE


if __name__ == "__main__":
    sys.exit(main())
