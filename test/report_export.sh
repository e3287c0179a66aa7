#!/usr/bin/env bash
# test/report_export.sh — the report's exports (bash demo/export.sh DIR).
#
# On the server that PGHOST/PGPORT/PGUSER name: loads the district data into
# a database of its own (quietly: stderr is no terminal; and once more, a
# tenth of it, on a terminal made by script(1), which must show every phase's
# progress), exports the sections, and reads them back: every
# CSV starts with the UTF-8 byte-order mark and holds exactly what psql
# returns for its section; report.xlsx, read with python3-openpyxl, has one
# sheet per section in order whose header and cells equal the same results
# (numbers as numbers, dates as dates).  TAP lines.
set -uo pipefail
cd "$(dirname "$0")/.."
db=integrity_report_export
work=$(mktemp -d /tmp/integrity-report-export.XXXXXX)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
. tools/tap.sh

check "the district data loads, quietly when stderr is no terminal (one summary line)" \
    bash -c 'bash demo/load.sh "$0" district 2>"$1/load.err" && cat "$1/load.err" && [ "$(wc -l <"$1/load.err")" -eq 1 ]' "$db" "$work"
# on a terminal, the load shows each phase with its rows, share done and time
check "on a terminal the load shows its progress: every phase with rows, percentage and seconds" \
    bash -c 'script -qec "bash demo/load.sh ${0}_tty district 0.1" /dev/null >"$1/tty.out" 2>&1; rc=$?
             psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${0}_tty" >/dev/null 2>&1
             cat "$1/tty.out"; [ $rc -eq 0 ] && [ "$(grep -cE "^load: phase [0-9]+/10 .*: [0-9]+ rows in .*, [0-9]+ % of the generator, [0-9.]+ s" "$1/tty.out")" -eq 10 ]' "$db" "$work"
check "bash demo/export.sh DIR writes the CSV files and report.xlsx" \
    env DEMO_DB=$db bash demo/export.sh "$work/out"
PGDATABASE=$db TAP_START=$n /usr/bin/python3 - "$work/out" <<'PY'
import datetime, os, sys
sys.path.insert(0, 'demo')
import report_html
import openpyxl
out = sys.argv[1]
n = int(os.environ['TAP_START']); bad = 0
def check(what, ok, detail=''):
    global n, bad
    n += 1
    print(('ok %d - %s' if ok else 'not ok %d - %s') % (n, what))
    if not ok:
        bad += 1
        print('#   ' + str(detail)[:1500].replace('\n', '\n#   '))
def same(cell, text):
    if text == '':
        return cell is None
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() == text
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return cell == float(text)
    return cell == text
book = openpyxl.load_workbook(os.path.join(out, 'report.xlsx'))
sections = report_html.sections()
check('report.xlsx has one sheet per section, in order (%d)' % len(sections),
      len(book.sheetnames) == len(sections)
      and all(name.startswith('%d ' % num) for name, (num, _, _, _) in zip(book.sheetnames, sections)),
      book.sheetnames)
for (num, path, title, text), sheet in zip(sections, book.worksheets):
    cols, rows = report_html.psql_csv(path=path)
    base = os.path.splitext(os.path.basename(path))[0]
    raw = open(os.path.join(out, base + '.csv'), 'rb').read()
    import csv, io
    back = list(csv.reader(io.StringIO(raw.decode('utf-8-sig'), newline='')))
    check('%s.csv: UTF-8 with BOM, %d rows equal to the SQL' % (base, len(rows)),
          raw.startswith(b'\xef\xbb\xbf') and back == [cols] + rows, (back[:2], [cols] + rows[:1]))
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = values[0] if values else []
    body = [r + [None] * (len(cols) - len(r)) for r in values[1:]]
    wrong = [(i, j, c, t) for i, (rc, rt) in enumerate(zip(body, rows)) for j, (c, t) in enumerate(zip(rc, rt))
             if not same(c, t)]
    check('sheet %r: header and %d x %d cells equal to the SQL' % (sheet.title, len(rows), len(cols)),
          list(header) == cols and len(body) == len(rows) and not wrong, (header, wrong[:5]))
print('1..%d' % n)
sys.exit(1 if bad else 0)
PY
