#!/usr/bin/python3
"""demo/report_export.py DIR — the annual report's sections as files an office sends.

Writes DIR/<N>_<section>.csv for every section of demo/report/*.sql — UTF-8
with a byte-order mark, so that Excel opens the Chinese correctly, the
cells as psql prints them — and DIR/report.xlsx, one workbook with a sheet
per section, through python3-xlsxwriter: numbers as numbers, dates as dates,
a header row of the column names with their Chinese labels (the report
views' comments) as cell notes, the header frozen.  The PG* environment
names the database holding the reference model.
"""
import csv
import datetime
import os
import re
import sys

import xlsxwriter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_html  # noqa: E402  (sections(), psql_csv(), column_labels())

NUMBER = re.compile(r'^-?[0-9]+(\.[0-9]+)?$')
DATE = re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}$')


def sheet_name(number, title):
    """'1 机构清廉积分排名' from '1. 机构清廉积分排名 League table ...' (Excel: <= 31 characters)."""
    words = title.split(' ')
    return ('%d %s' % (number, words[1] if len(words) > 1 else ''))[:31]


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: demo/report_export.py DIR')
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    labels = report_html.column_labels()
    book = xlsxwriter.Workbook(os.path.join(out, 'report.xlsx'))
    head = book.add_format({'bold': True, 'bg_color': '#EEF1F4', 'border': 1})
    day = book.add_format({'num_format': 'yyyy-mm-dd'})
    for number, path, title, text in report_html.sections():
        cols, rows = report_html.psql_csv(path=path)
        base = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out, base + '.csv'), 'w', encoding='utf-8-sig', newline='') as f:
            w = csv.writer(f)
            w.writerow(cols)
            w.writerows(rows)
        ws = book.add_worksheet(sheet_name(number, title))
        for c, name in enumerate(cols):
            ws.write_string(0, c, name, head)
            if labels.get(name):
                ws.write_comment(0, c, labels[name])
            ws.set_column(c, c, max(10, min(40, len(name) + 4)))
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if v == '':
                    continue
                if NUMBER.match(v):
                    ws.write_number(r, c, float(v))
                elif DATE.match(v):
                    ws.write_datetime(r, c, datetime.datetime.strptime(v, '%Y-%m-%d'), day)
                else:
                    ws.write_string(r, c, v)
        ws.freeze_panes(1, 0)
    book.close()


if __name__ == '__main__':
    main()
