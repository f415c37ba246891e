"""Where the shipped data sets and notebooks are, whatever the install.

A wheel carries them inside the package (``scrm_lab/_shipped/``); a source checkout or an
editable install has them at the top of the repository. Nothing depends on the current
working directory.

Examples
--------
>>> shipped_dir("notebooks").name
'notebooks'
"""

from __future__ import annotations

from pathlib import Path

from scrm_lab.exceptions import ScrmLabError

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(kind: str) -> Path:
    """Folder of the shipped ``"datasets"`` or ``"notebooks"``.

    Examples
    --------
    >>> shipped_dir("datasets").name
    'datasets'
    """
    for candidate in (_PACKAGE / "_shipped" / kind, _PACKAGE.parent / kind):
        if candidate.is_dir():
            return candidate
    raise ScrmLabError(
        f"the shipped {kind} folder was not found next to the scrm_lab package "
        f"(looked in {_PACKAGE / '_shipped' / kind} and {_PACKAGE.parent / kind}); "
        "reinstall scrm_lab with `pip install .` from a full checkout"
    )
