#!/usr/bin/env bash
# Executes notebooks/coverage.ipynb top to bottom against a bodo reports directory, in a
# virtualenv with notebooks/requirements.txt; fails (non-zero exit) on any cell error.
#
#   bash notebooks/run.sh [VENV_DIR] [REPORTS_DIR]
#
#   VENV_DIR     the virtualenv, created if missing and reused while requirements.txt and the
#                Python version are unchanged; "" = ${TMPDIR:-/tmp}/bodo-notebook-venv
#   REPORTS_DIR  the `bodo run` output (with manifest.json), relative to the current directory
#                (or else to the repository root); "" = reports
#
# Environment: PYTHON (default python3, >= 3.11), BODO_WHEEL (the bodo wheel to install instead
# of building ./crates/bodo-py), BODO_INPUTS (inputs the notebook analyses itself with
# bodo.run, into REPORTS_DIR), BODO_SPLIT_DATE (passed to the notebook),
# BODO_NOTEBOOK_TIMEOUT (seconds per cell, default 1800). Prints where the executed copy is.
set -euo pipefail

caller=$PWD
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${1:-}
venv=${venv:-${TMPDIR:-/tmp}/bodo-notebook-venv}
reports=${2:-}
reports=${reports:-reports}
python=${PYTHON:-python3}

say() { echo "notebook: $*" >&2; }

# Resolve the reports directory before leaving the caller's directory.
case $reports in
  /*) ;;
  *)
    if [ -d "$caller/$reports" ]; then
      reports=$caller/$reports
    else
      reports=$root/$reports
    fi
    ;;
esac
if [ ! -f "$reports/manifest.json" ]; then
  say "no manifest.json in $reports: run 'bodo run INPUT -o $reports' first"
  exit 2
fi
reports=$(cd "$reports" && pwd)
case $venv in /*) ;; *) venv=$caller/$venv ;; esac
cd "$root"

requirements=notebooks/requirements.txt
stamp="$venv/.bodo-requirements"
want="$("$python" -c 'import sys; print(sys.version)') $(cksum <"$requirements")"
start=$SECONDS
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  say "reusing the virtualenv $venv"
else
  say "creating the virtualenv $venv ($("$python" --version 2>&1))"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    -r "$requirements"
  # A kernel spec inside the virtualenv, so the notebook runs on its Python whatever kernels the
  # user has installed elsewhere.
  "$venv/bin/python" -m ipykernel install --sys-prefix --name python3 \
    --display-name "Python 3 (bodo notebook)" >/dev/null
  echo "$want" >"$stamp"
fi
# bodo itself, from this checkout: the wheel $BODO_WHEEL when given (.ci/run builds one), else
# built here by maturin into target/ like the CLI. Reinstalled every time (the code changes
# without requirements.txt changing).
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --no-deps \
  --force-reinstall "${BODO_WHEEL:-./crates/bodo-py}"
install_s=$((SECONDS - start))

out=$(mktemp -d "${TMPDIR:-/tmp}/bodo-notebook.XXXXXX")
say "executing notebooks/coverage.ipynb against $reports"
start=$SECONDS
export BODO_REPORTS=$reports
export JUPYTER_PATH="$venv/share/jupyter" JUPYTER_PREFER_ENV_PATH=1
export MPLBACKEND=module://matplotlib_inline.backend_inline
"$venv/bin/jupyter" nbconvert --to notebook --execute \
  --ExecutePreprocessor.kernel_name=python3 \
  --ExecutePreprocessor.timeout="${BODO_NOTEBOOK_TIMEOUT:-1800}" \
  --output-dir "$out" --output coverage.ipynb notebooks/coverage.ipynb
say "ok: setup ${install_s}s, execution $((SECONDS - start))s"
say "executed copy: $out/coverage.ipynb"
