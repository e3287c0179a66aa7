#!/usr/bin/env bash
# demo/export.sh DIR — the annual report's sections as CSV files (UTF-8 with
# a byte-order mark, for Excel) and one Excel workbook, DIR/report.xlsx, with
# a sheet per section (demo/report_export.py, python3-xlsxwriter).  Reads the
# database that `make demo` loaded (integrity_demo, or $DEMO_DB) on the
# server the PG* variables name.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: bash demo/export.sh DIR" >&2; exit 2; }
PGDATABASE=${DEMO_DB:-integrity_demo} /usr/bin/python3 demo/report_export.py "$1"
echo "wrote $(ls "$1"/*.csv | wc -l) CSV files and $(realpath "$1/report.xlsx")" >&2
