#!/usr/bin/env bash
# Set-up and main jobs of scrm_lab, from a fresh clone: only Python 3.11+ and PyPI needed.
#
#   ./dev.sh report [-p NAME VALUE ...]  set up, then run the flagship report into reports/
#   ./dev.sh test [PYTEST ARGS]          set up, then run the whole test suite
#   ./dev.sh setup                       only set up (.venv, package, Jupyter kernel)
#   ./dev.sh lab                         set up, then open JupyterLab on notebooks/
#
# Set-up is idempotent: it creates .venv (or $SCRM_LAB_VENV) with $PYTHON (default python3),
# installs scrm_lab with its test extras when pyproject.toml changed, and registers the
# Jupyter kernel "scrm-lab" for the current user.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=${SCRM_LAB_VENV:-.venv}
FLAGSHIP=engagement_vs_revenue

setup() {
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "dev.sh: $PYTHON is missing or older than Python 3.11; set PYTHON=/path/to/python3.11" >&2
    exit 2
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "dev.sh: creating $VENV" >&2
    "$PYTHON" -m venv "$VENV"
  fi
  local stamp="$VENV/.scrm_lab-installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "dev.sh: installing scrm_lab and its dependencies into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --editable ".[test]"
    touch "$stamp"
  fi
  "$VENV/bin/python" -m ipykernel install --user --name scrm-lab \
    --display-name "Python (scrm_lab)" >/dev/null 2>&1
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  setup) setup ;;
  report) setup; exec "$VENV/bin/scrm-lab" report run "$FLAGSHIP" --output-dir reports "$@" ;;
  test) setup; exec "$VENV/bin/python" -m pytest -n 2 --dist worksteal "$@" ;;
  lab) setup; exec "$VENV/bin/jupyter" lab notebooks/ "$@" ;;
  *) echo "usage: ./dev.sh report|test|setup|lab [ARGS]" >&2; exit 2 ;;
esac
