"""Imports: ``sys.modules`` caches a module, circular imports see half a module, reload misleads.

Why interviewers ask this:
    "Why does this import fail only when ``services`` is imported first?" and
    "why doesn't my change show up after ``importlib.reload``?" are daily
    problems in large Flask/Django code bases. A candidate who can explain
    that ``import`` runs a module's top level once, stores the module object
    in ``sys.modules`` *before* running it, and hands that same
    (possibly half-built) object to everyone who asks, can diagnose both.

Common pitfalls:
    - ``from models import User`` at the top of two modules that import each
      other: the module imported second (from inside the first) finds the
      first one half initialised and gets ``ImportError: cannot import name
      'User' from partially initialized module ... (most likely due to a
      circular import)``. Either order fails, each naming a different module.
    - ``import ma`` then ``ma.User`` at module level in the other module of a
      cycle: ``AttributeError`` because ``User`` is not defined yet, but only
      when ``ma`` is imported first; importing the other module first works,
      which is why such a cycle breaks after an unrelated import is moved.
      3.11 and 3.12 say "partially initialized module 'ma' has no attribute
      'User' (most likely due to a circular import)"; 3.13.0 prints only
      "module 'ma' has no attribute 'User'" with a hint to rename the file.
      (Messages measured on 3.11.7, 3.12.1 and 3.13.0.)
    - Running a module as a script (``python app.py`` or ``python -m app``)
      that is also imported by name: the script runs as ``__main__``, and
      ``import app`` elsewhere finds no ``app`` in ``sys.modules``, so the
      top level runs a second time into a second module object. A registry
      filled through one copy is empty in the other. Keep the entry point a
      small script that imports ``app`` and calls ``app.main()``.
    - Expecting a module's top level to run again on a second ``import``: it
      runs once per process; the second import is a ``sys.modules`` lookup.
    - ``importlib.reload(mod)`` re-runs the code *in the same module object*:
      names bound elsewhere with ``from mod import Config`` still point to the
      old class, and an instance made before the reload fails
      ``isinstance(obj, mod.Config)`` after it.

Key takeaways:
    - ``import x`` finds ``x`` in ``sys.modules`` or loads it: create the
      module, put it in ``sys.modules``, then run its top level. A module
      imported twice is the same object, and its top level ran once: the
      cache is keyed by name, so the same file run as ``__main__`` is a
      different module.
    - During that run the module is *partially initialised*: anything that
      imports it meanwhile (a cycle) gets the same object, holding only the
      names defined so far.
    - Fixes for a cycle, best first: move the shared names into a third
      module both import; import the module (``import models``) and look up
      attributes at call time, not at import time; or import inside the
      function that needs it (``lazy`` in ``FIXED_BY_LATE_LOOKUP``).
    - ``reload`` does not update existing objects or other modules'
      references; restart the process (or use a dev server's reloader, which
      does exactly that).
    - Go forbids import cycles at compile time ("import cycle not allowed").
      Java resolves classes lazily, so cycles compile and load, but a static
      initialiser cycle can observe a default (null/0) field: the same
      half-built problem.

What to look for in an answer:
    The candidate describes the import as "check ``sys.modules``, else create,
    register, execute", explains a circular import from that, names the
    fixes in order of preference, and distrusts ``reload`` outside a REPL.
    Follow-ups:
    - Why is the module registered before its code runs? (So a cycle
      terminates: otherwise ``a`` importing ``b`` importing ``a`` would
      recurse forever.)
    - How do you force a fresh import in a test? (Remove the module from
      ``sys.modules``, or better run a child interpreter; pytest's
      ``monkeypatch.delitem(sys.modules, ...)`` restores it afterwards.)
    - What does ``if TYPE_CHECKING:`` fix? (Cycles caused only by type hints:
      the import runs for the type checker, never at run time.)
    - Where does a failed import leave ``sys.modules``? (The half-built
      module is removed, so the next import tries again from scratch. But a
      module that imported it during that run, in a cycle, finished and
      stays cached, still holding the dead half-built object; a retry that
      succeeds creates a new module, and the stale reference is never
      updated.)
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

__all__ = [
    "CIRCULAR_ATTRIBUTE",
    "CIRCULAR_FROM_IMPORT",
    "COUNTED",
    "FAILS_HALF_WAY",
    "FIXED_BY_LATE_LOOKUP",
    "RELOADABLE",
    "RUN_AS_MAIN",
    "fresh",
    "import_from",
    "run_python",
    "write_modules",
]

# Each demo is {file name: source}; the tests write them into a temporary directory.
COUNTED = {
    "counted.py": (
        "import sys\n"
        "sys.modules['counted_log'].runs += 1\n"
        "REGISTERED_WHILE_RUNNING = __name__ in sys.modules\n"
    ),
}

CIRCULAR_FROM_IMPORT = {
    "cf_models.py": "from cf_services import notify\n\nclass User: ...\n",
    "cf_services.py": "from cf_models import User\n\ndef notify() -> type: return User\n",
}

CIRCULAR_ATTRIBUTE = {
    "ca_models.py": "import ca_services\n\nclass User: ...\n",
    "ca_services.py": "import ca_models\n\nDEFAULT = ca_models.User\n",
}

FIXED_BY_LATE_LOOKUP = {
    "fx_models.py": "import fx_services\n\nclass User: ...\n",
    "fx_services.py": (
        "import fx_models\n\n"
        "def default() -> type:\n"
        "    return fx_models.User  # looked up at call time\n\n"  # break[early-lookup]
        "def lazy() -> type:\n"
        "    from fx_models import User  # imported when called, not at import time\n"
        "    return User\n"
    ),
}

RELOADABLE = {
    "settings_mod.py": "class Config:\n    debug = False\n",
}

# hb_switch is provided by the caller (a test puts it in sys.modules) so a retry can succeed.
FAILS_HALF_WAY = {
    "hb_models.py": (
        "import hb_audit\n"
        "import hb_switch\n\n"
        "class User: ...\n\n"
        "if hb_switch.fail:\n"
        "    raise RuntimeError('settings missing')\n"
    ),
    "hb_audit.py": "import hb_models\n\ndef user_class() -> type:\n    return hb_models.User\n",
}

# Run mn_app.py directly (or with -m) and its top level runs twice; run mn_run.py and it runs once.
RUN_AS_MAIN = {
    "mn_app.py": (
        "print('top level ran as', __name__)\n"
        "REGISTRY = []\n"
        "import mn_plugins\n\n"
        "def main() -> None:\n"
        "    print('registry', REGISTRY)\n\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    ),
    "mn_plugins.py": "import mn_app\n\nmn_app.REGISTRY.append('plugin')\n",
    "mn_run.py": "import mn_app\n\nmn_app.main()\n",  # break[entry-runs-module]
}


def write_modules(root: Path, sources: Mapping[str, str]) -> list[str]:
    """Write each source file under ``root``; return the module names, for cleanup."""
    for name, source in sources.items():
        (root / name).write_text(source, encoding="utf-8")
    return [name.removesuffix(".py") for name in sources]


@contextmanager
def import_from(root: Path, names: list[str]) -> Iterator[None]:
    """Make ``root`` importable; afterwards restore ``sys.path`` and forget ``names``.

    Also clears the import system's directory caches, since files were just
    written there.
    """
    saved_path = list(sys.path)
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path[:] = saved_path  # break[leak-path]
        for name in names:
            sys.modules.pop(name, None)  # break[no-forget]


def fresh(name: str) -> ModuleType:
    """Import ``name`` from scratch: drop any cached copy first, then import it."""
    sys.modules.pop(name, None)  # break[cached]
    return importlib.import_module(name)


def run_python(root: Path, *args: str) -> list[str]:
    """Run ``python *args`` in a child interpreter started in ``root``; return its stdout lines.

    A child starts with none of the caller's imported modules, and the file it
    is given really runs as ``__main__``: the only faithful way to show that.
    """
    done = subprocess.run(
        [sys.executable, "-E", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return done.stdout.splitlines()
