"""Scheduled reports: job definitions in a YAML file, run and exported for cron or Airflow.

A schedules file, kept with the project (``schedules.yaml`` at its root), lists jobs::

    jobs:
      - name: weekly-engagement          # required: a-z, 0-9, _ and -, unique
        notebook: engagement_vs_revenue  # required: a shipped notebook or a path to an .ipynb
        cron: "0 6 * * 1"                # required: 5 fields, UTC; or @hourly ... @yearly
        parameters: {method: pearson}    # optional: the notebook's parameters, checked
        output_dir: reports              # optional, default "reports"
        notify: [analyst@example.com]    # optional: e-mail addresses told when a run fails
        timeout: 1800                    # optional: seconds a cell may run, default 600

Relative notebook paths, ``output_dir`` and ``path`` parameters are read from the YAML
file's folder, never from the current one. :func:`load_schedules` checks every job before
anything runs: keys (with a did-you-mean), names, cron expressions (with croniter),
addresses, timeouts, and the parameters against the notebook's typed declarations (the
check :func:`scrm_lab.reports.run_report` makes). Secret parameters are refused in the
file: their values come from ``SCRM_LAB_SECRET_<NAME>`` in the environment of the run.
No text in a job (name, notebook, cron, folder, address, parameter name or value) may hold
a control character (newline, carriage return, tab, NUL...) or a line separator.

:func:`run_job` runs one job through :func:`scrm_lab.reports.run_report`, the code path
of ``scrm-lab report run``. :func:`export_schedules` turns the file into crontab lines
(``scrm-lab schedule run`` per job) or into an Airflow DAG file whose tasks call
``run_report`` with each job's settings, the way Airflow's PapermillOperator calls
papermill. Cron expressions are read in UTC everywhere: ``next_run`` in :func:`list_jobs`,
the Airflow DAGs (a UTC start date) and the crontab (``CRON_TZ=UTC``).

Nothing from the file or its path is pasted into either export as code. In the crontab each
value is one shell word quoted with :func:`shlex.quote`, ``%`` is written ``\\%`` (cron
would read a bare ``%`` as a newline), and a path holding a character no crontab line can
carry is refused. The DAG file holds the jobs as one Python literal (``repr``), read back
with :func:`ast.literal_eval` before it is returned; the values reach ``run_report``
through :func:`functools.partial`, not ``op_kwargs``, which Airflow renders as Jinja
templates. Comments show any unprintable character escaped.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "schedules.yaml").write_text(
...     "jobs:\\n  - {name: overview, notebook: dataset_overview, cron: '0 5 * * *',\\n"
...     "     parameters: {max_rows: 5}}\\n"
... )
>>> job = load_schedules(folder / "schedules.yaml")[0]
>>> job.name, job.cron, job.parameters, job.output_dir == folder / "reports"
('overview', '0 5 * * *', {'max_rows': 5}, True)
"""

from __future__ import annotations

import ast
import json
import os
import pprint
import re
import shlex
import sys
import textwrap
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from scrm_lab import reports
from scrm_lab._checks import Choice, Flag, Instance, OrNone, Text, brief, checks, suggest
from scrm_lab._yaml import read_yaml_file
from scrm_lab.exceptions import DataFileError, ParameterError
from scrm_lab.reports._catalog import CELL_SECONDS

__all__ = ["Job", "export_schedules", "list_jobs", "load_schedules", "run_job"]

#: The ``path`` parameter: a schedules file.
_PATH = Instance((str, os.PathLike), "the path of a schedules YAML file")

_KEYS = ("name", "notebook", "cron", "parameters", "output_dir", "notify", "timeout")
_REQUIRED = ("name", "notebook", "cron")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
#: A plain address: ASCII letters, digits and . _ + - (no quotes, spaces, commas, % or $,
#: nothing a MAILTO line, a mailer's command line or a header could read as more).
_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
#: Unicode categories no job text may hold: control characters (newline, carriage return,
#: tab, NUL, ...), line and paragraph separators, and lone surrogates (bytes not UTF-8).
_BAD_CATEGORIES = ("Cc", "Zl", "Zp", "Cs")
_PRESETS = ("@hourly", "@daily", "@weekly", "@monthly", "@yearly")
_FIELDS = ("minute", "hour", "day of month", "month", "day of week")
_FIELD_NAMES = {
    3: ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
    4: ("sun", "mon", "tue", "wed", "thu", "fri", "sat"),
}
_SECRET_ENV = "SCRM_LAB_SECRET_"
_DEFAULT_TIMEOUT = 600
_LOG_LINES = 20  # of a failed run's log, mailed by cron


@dataclass(frozen=True)
class Job:
    """One scheduled report, as checked by :func:`load_schedules`.

    Attributes
    ----------
    name : str
        The job's name (unique in its file).
    notebook : str
        A shipped notebook's name, or the absolute path of an ``.ipynb`` file.
    cron : str
        Five-field cron expression or preset, read in UTC.
    parameters : dict
        The parameters given in the file (defaults and secrets are filled in at run time).
    output_dir : pathlib.Path
        Absolute folder the report runs go to.
    notify : tuple of str
        E-mail addresses told when a run fails; empty: nobody.
    timeout : float
        Seconds a single cell may run.

    Examples
    --------
    >>> Job("weekly-report", "dataset_overview", "@weekly", {}, Path("/r")).dag_id
    'scrm_lab_weekly_report'
    """

    name: str
    notebook: str
    cron: str
    parameters: dict[str, Any]
    output_dir: Path
    notify: tuple[str, ...] = ()
    timeout: float = _DEFAULT_TIMEOUT

    @property
    def dag_id(self) -> str:
        """The job's Airflow DAG id: ``scrm_lab_`` and its name with ``-`` as ``_``."""
        return "scrm_lab_" + self.name.replace("-", "_")


# ----------------------------------------------------------------------------- reading


def _read_yaml(file: Path) -> Any:
    return read_yaml_file(
        file,
        "schedules file",
        missing_hint="; create it (see the README, 'Scheduled reports') or pass --file",
        syntax_hint="; quote values that start with @ or contain ': ' (cron: \"@daily\")",
    )


def _bad_character(text: str) -> str | None:
    """The first character of ``text`` in :data:`_BAD_CATEGORIES`, or None.

    >>> _bad_character("reports/weekly"), _bad_character("reports\\nrm -rf ~")
    (None, '\\n')
    """
    return next((c for c in text if unicodedata.category(c) in _BAD_CATEGORIES), None)


def _described(character: str) -> str:
    """A character as a one-line message shows it: ``'\\n' (U+000A)``, or with its Unicode
    name when it has one, ``'\\u2028' (U+2028 LINE SEPARATOR)``."""
    name = unicodedata.name(character, "")
    return f"{character!r} (U+{ord(character):04X}{' ' + name if name else ''})"


def _place(file: Path) -> str:
    """A path as messages show it: as it is, or as a Python string when it is unprintable."""
    return str(file) if str(file).isprintable() else repr(str(file))


def _comment(text: str) -> str:
    """Text for a ``#`` comment line: every unprintable character escaped, so none ends it.

    >>> _comment("notebook /a\\nMAILTO=x")
    'notebook /a\\\\nMAILTO=x'
    """
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _refuse(
    file: Path, job: str, key: str | None, message: str, error: type[Exception] = ParameterError
) -> Exception:
    """The error naming file, job and key: ``<file>, job 'x', key 'cron': <message>``."""
    where = f"{_place(file)}, job {job}" + (f", key {key!r}" if key else "")
    return error(f"{where}: {message}")


def _first_bad_text(value: Any, at: str) -> tuple[str, str, str] | None:
    """``(where, text, character)`` for the first text in ``value`` (keys included, at any
    depth) holding a character in :data:`_BAD_CATEGORIES`; None when there is none."""
    if isinstance(value, str):
        character = _bad_character(value)
        return (at, value, character) if character else None
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and _bad_character(key):
            return (f"a name in {at}", key, _bad_character(key))
        found = _first_bad_text(item, f"{at}[{key!r}]")
        if found:
            return found
    return None


def _local_path(file: Path, text: str) -> Path:
    """``text`` as an absolute path, relative to the file's folder; OSError when it has none."""
    try:
        return (file.parent / Path(text).expanduser()).resolve()
    except RuntimeError as err:  # "~nobody/...": no such user, or a symbolic-link loop
        raise OSError(str(err)) from err


def _check_cron(value: Any, file: Path, job: str) -> str:
    """The expression, fields separated by one space, or a ParameterError."""
    from croniter import CroniterBadDateError, CroniterError, croniter

    def refuse(message: str) -> Exception:
        return _refuse(file, job, "cron", message)

    if not isinstance(value, str):
        raise refuse(f'must be a cron expression in quotes, such as "0 6 * * 1". Got {value!r}.')
    fields = value.split()
    if value.strip().startswith("@"):
        if value.strip() not in _PRESETS:
            raise refuse(
                f"{value.strip()!r} is not a preset cron and Airflow both understand; use one "
                f"of {', '.join(_PRESETS)} or five fields.{suggest(value.strip(), _PRESETS)}"
            )
    elif len(fields) != 5:
        raise refuse(
            f"{value!r} has {len(fields)} fields; a cron expression has 5 (minute, hour, "
            f"day of month, month, day of week) or is one of {', '.join(_PRESETS)}."
        )
    else:
        for index, text in enumerate(fields):
            words = re.findall(r"[a-z]+", text.lower())
            names = _FIELD_NAMES.get(index, ())
            if re.search(r"[^0-9a-z*,/-]", text.lower()) or any(w not in names for w in words):
                also = f", or names ({', '.join(names)})" if names else ""
                raise refuse(
                    f"the {_FIELDS[index]} field of {value!r} is {text!r}, which crontab does "
                    f"not understand; use numbers, *, ranges a-b, lists a,b, steps /n{also}."
                )
    expression = " ".join(fields)
    try:
        croniter(expression, datetime.now(UTC)).get_next(datetime)
    except CroniterBadDateError as err:
        raise refuse(f"{expression!r} never matches a date (croniter: {err}).") from err
    except CroniterError as err:
        raise refuse(f"{expression!r} is not a valid cron expression (croniter: {err}).") from err
    return expression


def _check_parameters(
    value: Any, notebook: str, declared: pd.DataFrame, file: Path, job: str
) -> dict[str, Any]:
    """The file's parameters, relative paths made absolute, checked against the notebook."""

    def refuse(message: str, error: type[Exception] = ParameterError) -> Exception:
        return _refuse(file, job, "parameters", message, error)

    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise refuse(
            f"must be a mapping of parameter name to value, such as {{method: pearson}}. "
            f"Got {value!r}.",
        )
    declared = declared.set_index("name")
    parameters = {}
    for name, given in value.items():
        if name in declared.index and declared.loc[name, "secret"]:
            raise refuse(
                f"'{name}' is a secret parameter and is never written in a file; set the "
                f"environment variable {_SECRET_ENV}{name.upper()} where the job runs.",
            )
        relative = isinstance(given, str) and given and not Path(given).expanduser().is_absolute()
        if name in declared.index and declared.loc[name, "type"] == "path" and relative:
            try:
                given = str(_local_path(file, given))
            except OSError as err:
                raise refuse(f"the path {given!r} of '{name}' cannot be resolved: {err}.") from err
        parameters[name] = given
    try:
        reports.check_parameters(notebook, parameters)
    except (ParameterError, DataFileError) as err:
        raise refuse(str(err), type(err)) from err
    return parameters


def _check_job(raw: Any, number: int, file: Path) -> Job:
    if not isinstance(raw, Mapping):
        raise _refuse(
            file, f"number {number}", None, f"must be a mapping of {', '.join(_KEYS)}. Got {raw!r}."
        )
    name = raw.get("name")
    label = repr(name) if isinstance(name, str) and name else f"number {number}"

    def refuse(key: str, message: str, error: type[Exception] = ParameterError) -> Exception:
        return _refuse(file, label, key, message, error)

    for key in raw:
        if key not in _KEYS:
            hint = suggest(key, _KEYS)
            raise refuse(str(key), f"unknown key; the keys are {', '.join(_KEYS)}.{hint}")
    for key, value in raw.items():
        found = _first_bad_text(value, key)
        if found:
            at, text, character = found
            raise refuse(
                key,
                f"{'' if at == key else at + ': '}{text!r} holds the control character "
                f"{_described(character)}; job values go into command lines, crontabs and "
                "DAG files, where it could end a line or start a command. Remove it.",
            )
    for key in _REQUIRED:
        if raw.get(key) in (None, ""):
            raise refuse(key, "is required and missing.")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise refuse(
            "name",
            "must be lower-case letters, digits, _ and -, starting with a letter or digit "
            f"(it names log files and Airflow DAGs). Got {name!r}.",
        )

    notebook = raw["notebook"]
    if not isinstance(notebook, str):
        raise refuse(
            "notebook",
            f"must be a shipped notebook's name or a path to an .ipynb file. Got {notebook!r}.",
        )
    if notebook.endswith(".ipynb") or "/" in notebook or os.sep in notebook:
        try:
            notebook = str(_local_path(file, notebook))
        except OSError as err:
            raise refuse("notebook", f"{notebook!r} cannot be resolved: {err}.") from err
    try:
        declared = reports.notebook_parameters(notebook)
    except (ParameterError, DataFileError) as err:
        raise refuse("notebook", str(err), type(err)) from err

    output_dir = raw.get("output_dir", "reports")
    if not isinstance(output_dir, str) or not output_dir.strip():
        raise refuse(
            "output_dir",
            f"must be a folder path (relative to the file's folder). Got {output_dir!r}.",
        )
    try:
        folder = _local_path(file, output_dir)
    except OSError as err:
        raise refuse("output_dir", f"{output_dir!r} cannot be resolved: {err}.") from err
    notify = raw.get("notify", [])
    notify = [notify] if isinstance(notify, str) else [] if notify is None else notify
    if not isinstance(notify, list):
        raise refuse("notify", f"must be a list of e-mail addresses. Got {notify!r}.")
    for address in notify:
        if not isinstance(address, str) or not _EMAIL.fullmatch(address):
            raise refuse(
                "notify",
                f"{address!r} is not an e-mail address (name@example.org: ASCII letters, "
                "digits and . _ + -, starting with a letter or digit).",
            )
    timeout = raw.get("timeout", _DEFAULT_TIMEOUT)
    if not CELL_SECONDS.accepts(timeout):
        raise refuse(
            "timeout",
            f"must be the seconds a cell may run, {CELL_SECONDS.expected}. Got {brief(timeout)}.",
        )
    return Job(
        name=name,
        notebook=notebook,
        cron=_check_cron(raw["cron"], file, label),
        parameters=_check_parameters(raw.get("parameters"), notebook, declared, file, label),
        output_dir=folder,
        notify=tuple(notify),
        timeout=timeout,
    )


@checks(path=_PATH)
def load_schedules(path: str | os.PathLike) -> list[Job]:
    """Read and check a schedules file; nothing runs.

    Parameters
    ----------
    path : str or path-like
        The YAML file (format in the module documentation).

    Returns
    -------
    list of Job
        The jobs, in the file's order.

    Raises
    ------
    DataFileError
        The file is missing, unreadable or not valid YAML (the line is named), or a
        notebook or ``path`` parameter names a file that does not exist.
    ParameterError
        Anything else that is wrong, with the file, the job and the key named: an unknown
        or missing key, a bad or duplicate name, a bad cron expression, e-mail address or
        timeout, an unknown notebook, a parameter the notebook refuses, a secret parameter.

    Examples
    --------
    >>> load_schedules("no/such/schedules.yaml")
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.DataFileError: schedules file 'no/such/schedules.yaml' does not \
exist; create it (see the README, 'Scheduled reports') or pass --file
    """
    file = Path(path).expanduser()
    document = _read_yaml(file)
    if not isinstance(document, Mapping) or "jobs" not in document:
        raise ParameterError(
            f"{_place(file)}: expected a mapping with a 'jobs' list at the top. Got "
            f"{'an empty file' if document is None else repr(document)[:80]}."
        )
    for key in document:
        if key != "jobs":
            raise ParameterError(
                f"{_place(file)}: unknown top-level key {key!r}; the only one is 'jobs'."
                f"{suggest(key, ['jobs'])}"
            )
    if not isinstance(document["jobs"], list):
        raise ParameterError(
            f"{_place(file)}: 'jobs' must be a list of jobs. Got {document['jobs']!r}."
        )
    jobs = [_check_job(raw, number, file) for number, raw in enumerate(document["jobs"], 1)]
    seen: dict[str, str] = {}
    for job in jobs:
        if job.dag_id in seen:
            same = "twice" if seen[job.dag_id] == job.name else f"and '{seen[job.dag_id]}'"
            raise ParameterError(
                f"{_place(file)}, job '{job.name}', key 'name': the name is used {same} (names "
                f"must be unique, also once - is read as _, as in the DAG id {job.dag_id!r})."
            )
        seen[job.dag_id] = job.name
    return jobs


# ----------------------------------------------------------------------------- running


def _next_run(cron: str, now: datetime) -> pd.Timestamp:
    from croniter import croniter

    return pd.Timestamp(croniter(cron, now.astimezone(UTC)).get_next(datetime))


@checks(path=_PATH, now=OrNone(Instance(datetime, "a datetime (UTC when naive)")))
def list_jobs(path: str | os.PathLike, *, now: datetime | None = None) -> pd.DataFrame:
    """The jobs of a schedules file, with each one's next run.

    Parameters
    ----------
    path : str or path-like
        The schedules file.
    now : datetime, optional
        The time to count from (timezone-aware); default: the current time.

    Returns
    -------
    pandas.DataFrame
        One row per job, in the file's order. Columns: ``name``, ``notebook``, ``cron``,
        ``next_run`` (UTC timestamp), ``output_dir`` (str), ``notify`` (addresses,
        comma-separated), ``parameters`` (the file's values as compact JSON).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from datetime import datetime, UTC
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "schedules.yaml"
    >>> _ = file.write_text("jobs: [{name: daily, notebook: dataset_overview, cron: '@daily'}]")
    >>> list_jobs(file, now=datetime(2025, 3, 1, 12, tzinfo=UTC)).loc[0, "next_run"]
    Timestamp('2025-03-02 00:00:00+0000', tz='UTC')
    """
    now = datetime.now(UTC) if now is None else now
    rows = [
        {
            "name": job.name,
            "notebook": job.notebook,
            "cron": job.cron,
            "next_run": _next_run(job.cron, now),
            "output_dir": str(job.output_dir),
            "notify": ", ".join(job.notify),
            "parameters": json.dumps(job.parameters, separators=(",", ":")),
        }
        for job in load_schedules(path)
    ]
    columns = ["name", "notebook", "cron", "next_run", "output_dir", "notify", "parameters"]
    return pd.DataFrame(rows, columns=columns)


@checks(name=Text("a job name"), path=_PATH, progress=Flag())
def run_job(name: str, path: str | os.PathLike, *, progress: bool = False) -> reports.ReportRun:
    """Run one job now, through :func:`scrm_lab.reports.run_report` (as ``report run`` does).

    The whole file is checked first. The run gets the job's notebook, parameters (secret
    ones from ``SCRM_LAB_SECRET_<NAME>``), ``output_dir`` and ``timeout``.

    Parameters
    ----------
    name : str
        The job's name.
    path : str or path-like
        The schedules file.
    progress : bool, default False
        Show papermill's progress bar (on stderr).

    Returns
    -------
    scrm_lab.reports.ReportRun
        The finished run.

    Raises
    ------
    ParameterError
        No job has that name (the message lists them), or the file is refused (see
        :func:`load_schedules`).
    ReportExecutionError
        The notebook failed; its report is saved with the error.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "schedules.yaml"
    >>> _ = file.write_text("jobs: [{name: daily, notebook: dataset_overview, cron: '@daily'}]")
    >>> run_job("dayly", file)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    scrm_lab.exceptions.ParameterError: .../schedules.yaml has no job 'dayly'; its jobs are \
daily. Did you mean 'daily'?
    """
    jobs = {job.name: job for job in load_schedules(path)}
    if name not in jobs:
        raise ParameterError(
            f"{_place(Path(path))} has no job {name!r}; its jobs are {', '.join(jobs) or 'none'}."
            f"{suggest(name, list(jobs))}"
        )
    job = jobs[name]
    return reports.run_report(
        job.notebook,
        job.parameters,
        output_dir=job.output_dir,
        timeout=job.timeout,
        progress=progress,
    )


# ----------------------------------------------------------------------------- exports


def _secret_variables(job: Job) -> list[str]:
    declared = reports.notebook_parameters(job.notebook)
    return [_SECRET_ENV + n.upper() for n in declared.loc[declared["secret"], "name"]]


def _shell_word(value: str, what: str, job: Job, file: Path) -> str:
    """``value`` as one shell word of a crontab command (its ``%`` escaped afterwards).

    Refused when it holds a character no crontab line carries faithfully (a newline would
    end the line). Cron drops the ``\\`` of ``\\%`` and cannot write a ``\\`` just before
    a ``%``, so inside the quotes such a ``\\`` is split from its ``%`` by ``''``.
    """
    character = _bad_character(value)
    if character:
        raise ParameterError(
            f"{_place(file)}, job {job.name!r}: the {what} {value!r} holds the control "
            f"character {_described(character)}, which a crontab line cannot carry; use a "
            "folder whose path has none, or the Airflow export."
        )
    return shlex.quote(value).replace("\\%", "\\''%")


def _crontab(jobs: list[Job], file: Path, generated: str) -> str:
    lines = [
        f"# scrm_lab scheduled reports, from {_comment(str(file))}",
        f"# generated by `scrm-lab schedule export --format cron` at {generated}.",
        "# Do not edit: change the YAML file and export again.",
        "#",
        "# Install (appends to your crontab; check `crontab -l` first so no job is added twice):",
        "#   crontab -l 2>/dev/null | cat - THIS_FILE | crontab -",
        "#",
        "# Each run appends its output to <output_dir>/<job>.log. Cron mails what a command",
        f"# prints: here, the last {_LOG_LINES} lines of the log, and only when the run fails,",
        "# to the job's MAILTO addresses (none when MAILTO is empty; mail needs a local MTA).",
        "# Times are UTC (CRON_TZ); a cron without CRON_TZ reads them in the system time zone.",
        "# Cron does not read your shell profile: secret parameters need their",
        "# SCRM_LAB_SECRET_<NAME> variables in cron's environment.",
        "CRON_TZ=UTC",
    ]
    for job in jobs:
        log = _shell_word(str(job.output_dir / f"{job.name}.log"), "log file", job, file)
        words = [
            *("cd", _shell_word(str(file.parent), "project folder", job, file), "&&"),
            *("mkdir", "-p", _shell_word(str(job.output_dir), "output folder", job, file)),
            *("&&", _shell_word(sys.executable, "Python", job, file), "-m", "scrm_lab"),
            *("schedule", "run", _shell_word(job.name, "name", job, file), "--file"),
            *(_shell_word(str(file), "schedules file", job, file), "--no-progress"),
            *(">>", log, "2>&1", "||", "tail", "-n", str(_LOG_LINES), log),
        ]
        secrets = _secret_variables(job)
        lines += [
            "",
            _comment(f"# {job.name}: notebook {job.notebook}"),
            *([_comment(f"# needs in the environment: {', '.join(secrets)}")] if secrets else []),
            f'MAILTO="{",".join(job.notify)}"',  # plain addresses only (see _EMAIL)
            f"{job.cron} " + " ".join(words).replace("%", "\\%"),  # cron: % is a newline
        ]
    return "\n".join(lines) + "\n"


_DAG_HEAD = '''"""Airflow DAGs of the scrm_lab scheduled reports in the file named by SOURCE below.

Generated by `scrm-lab schedule export --format airflow` at {generated}.
Do not edit: change the YAML file and export again. Copy this file into Airflow's dags
folder; scrm_lab must be installed in the environment of the Airflow workers. Each DAG has
one task calling scrm_lab.reports.run_report (the code path of `scrm-lab report run`) with
the job's settings. Secret parameters are read from SCRM_LAB_SECRET_<NAME> in the workers'
environment when the task runs. Works with Airflow 2.4+ and Airflow 3.
"""

import datetime
import functools

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG
try:  # Airflow 3, or Airflow 2 with the standard provider
    from airflow.providers.standard.operators.python import PythonOperator
except ImportError:  # Airflow 2
    from airflow.operators.python import PythonOperator

from scrm_lab.reports import run_report

START_DATE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
'''

_DAG_LOOP = """
for job in JOBS:
    with DAG(
        dag_id=job["dag_id"],
        description=job["description"],
        schedule=job["schedule"],
        start_date=START_DATE,
        catchup=False,
        tags=job["tags"],
        default_args=job["default_args"],
    ) as dag:
        # The arguments are bound with functools.partial rather than given as op_kwargs,
        # which Airflow renders as Jinja templates: a path holding "{{" would change.
        PythonOperator(
            task_id="run_report",
            python_callable=functools.partial(run_report, **job["run_report"]),
            do_xcom_push=False,
        )
    globals()[job["dag_id"]] = dag
"""


def _dag_entry(job: Job) -> dict[str, Any]:
    """One job's DAG settings and run_report arguments: plain data, written as a literal."""
    stem = Path(job.notebook).stem
    return {
        "dag_id": job.dag_id,
        "description": f"scrm_lab report {stem} (job {job.name})",
        "schedule": job.cron,
        "tags": ["scrm_lab", stem],
        "default_args": {
            "retries": 0,
            "email": list(job.notify),
            "email_on_failure": bool(job.notify),
            "email_on_retry": False,
        },
        "run_report": {
            "notebook": job.notebook,
            "parameters": job.parameters,
            "output_dir": str(job.output_dir),
            "timeout": job.timeout,
        },
    }


def _airflow(jobs: list[Job], file: Path, generated: str) -> str:
    entries = [_dag_entry(job) for job in jobs]
    listed = []
    for job, entry in zip(jobs, entries, strict=True):
        secrets = _secret_variables(job)
        comments = [f"# job {job.name}: notebook {job.notebook}"]
        comments += [f"# needs in the workers' environment: {', '.join(secrets)}"] * bool(secrets)
        text = pprint.pformat(entry, width=84, sort_dicts=False)
        listed.append("".join(_comment(c) + "\n" for c in comments) + text + ",\n")
    source = (
        _DAG_HEAD.format(generated=generated)
        + f"SOURCE = {str(file)!r}\n"
        + "JOBS = [\n"
        + textwrap.indent("".join(listed), "    ")
        + "]\n"
        + _DAG_LOOP
    )
    _check_literals(source, {"SOURCE": str(file), "JOBS": entries})
    return source


def _check_literals(source: str, values: dict[str, Any]) -> None:
    """Read the values back from the generated Python: the same objects, or a bug."""
    read = {
        target.id: ast.literal_eval(node.value)
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id in values
    }
    if [repr(read.get(name)) for name in values] != [repr(value) for value in values.values()]:
        raise RuntimeError("bug in scrm_lab: the DAG file does not hold the jobs as given")


@checks(path=_PATH, fmt=Choice(("cron", "airflow")))
def export_schedules(path: str | os.PathLike, fmt: str) -> str:
    """A schedules file as crontab lines or as an Airflow DAG file.

    Parameters
    ----------
    path : str or path-like
        The schedules file (checked with :func:`load_schedules` first).
    fmt : {"cron", "airflow"}
        ``"cron"``: a crontab whose lines run ``python -m scrm_lab schedule run JOB``
        (this Python, absolute paths), log to ``<output_dir>/<job>.log`` and print the end
        of the log only when a run fails, so cron mails the job's ``notify`` addresses
        then. ``"airflow"``: Python source defining one DAG per job (``scrm_lab_<name>``)
        with one PythonOperator calling :func:`scrm_lab.reports.run_report`.
        Every value is quoted (cron) or a Python literal (Airflow), never code.

    Raises
    ------
    ParameterError
        The file is refused (see :func:`load_schedules`), or, for cron, a path (the
        project folder, say) holds a control character no crontab line can carry.

    Returns
    -------
    str
        The file's text.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "schedules.yaml"
    >>> _ = file.write_text("jobs: [{name: daily, notebook: dataset_overview, cron: '@daily'}]")
    >>> print(export_schedules(file, "cron").splitlines()[-1])  # doctest: +ELLIPSIS
    @daily cd ... -m scrm_lab schedule run daily --file .../schedules.yaml --no-progress >> ...
    >>> "'dag_id': 'scrm_lab_daily'" in export_schedules(file, "airflow")
    True
    """
    jobs = load_schedules(path)
    file = Path(path).expanduser().resolve()
    generated = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    return (_crontab if fmt == "cron" else _airflow)(jobs, file, generated)
