#!/usr/bin/env bash
# Try the production shape on one machine: nginx (Debian package) in front of two app processes
# that share one PostgreSQL database and one CONFLICTS_SECRET_KEY. Everything nginx writes (pid,
# logs, temporary files) stays in a temporary prefix directory; no root-only path is needed.
#
#   CONFLICTS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/conflicts deploy/run-local.sh
#   deploy/run-local.sh --listen-port 8080 --app-port 8501 --app-port 8502 --database-url URL
#
# Then open http://127.0.0.1:8080/ (phones: /join?code=CODE). Ctrl-C stops all three processes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
  PYTHON=python3
  [ -x .venv/bin/python ] && PYTHON=.venv/bin/python
fi
exec "$PYTHON" -m conflicts.testing run-local "$@"
