#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install gigsim with its UI and test extras.
# Looks for an interpreter on PATH (python3.13, python3.12, python3), then under pyenv;
# says clearly what is missing if none is found.
set -euo pipefail
cd "$(dirname "$0")/.."

suitable() {  # prints the interpreter if it is Python >= 3.12
    local candidate=$1
    command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ] || return 1
    "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null || return 1
    echo "$candidate"
}

find_python() {
    local c
    for c in "${GIGSIM_PYTHON:-}" python3.13 python3.12 python3; do
        [ -n "$c" ] && suitable "$c" && return 0
    done
    local root=${PYENV_ROOT:-$HOME/.pyenv}
    for c in $(ls -d "$root"/versions/3.1[2-9]* "$root"/versions/3.[2-9][0-9]* 2>/dev/null | sort -rV); do
        suitable "$c/bin/python" && return 0
    done
    for c in /usr/bin/python3.13 /usr/bin/python3.12 /usr/local/bin/python3.13 /usr/local/bin/python3.12; do
        suitable "$c" && return 0
    done
    return 1
}

if [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
    echo "using the existing .venv ($(.venv/bin/python --version))"
else
    if ! python=$(find_python); then
        echo "error: gigsim needs Python 3.12 or newer, and none was found (looked for python3.13, python3.12," >&2
        echo "python3 on PATH and under ${PYENV_ROOT:-$HOME/.pyenv}/versions). Install one (e.g. 'pyenv install 3.12')" >&2
        echo "or point GIGSIM_PYTHON at it, then run this again." >&2
        exit 1
    fi
    echo "creating .venv with $python ($("$python" --version))"
    rm -rf .venv
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[ui,test]"
echo "installed: $(.venv/bin/gigsim --help >/dev/null && echo gigsim) $(.venv/bin/python -c 'import gigsim; print(gigsim.__version__)')"
