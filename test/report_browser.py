#!/usr/bin/python3
"""test/report_browser.py REPORT.html SCREENSHOT.png — report.html in a real browser.

Debian's headless Chromium driven by Selenium (chromium-driver,
python3-selenium) opens the page from disk, with no network, and checks:
the page rendered with no console error and no request leaving the file;
every chart of demo/report_html.py's CHARTS holds exactly the series its SQL
returns now (read back from the chart instances with
echarts.getInstanceByDom(...).getOption(), compared with psql's output of
the same query); every section's table holds exactly the rows and cells
psql returns for demo/report/N.sql; and at 1366x768 the page is readable
(no horizontal scroll of the page, section titles within the width, charts
drawn at a usable size).  Saves a screenshot at 1366x768.  PG* environment
variables name the database the page was generated from.  TAP lines.
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'demo'))
import report_html  # noqa: E402  (the generator: its CHARTS and its SQL)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

n = int(os.environ.get('TAP_START', '0'))   # tests already counted by the caller
bad = 0


def check(what, ok, detail=''):
    global n, bad
    n += 1
    print(('ok %d - %s' if ok else 'not ok %d - %s') % (n, what))
    if not ok:
        bad += 1
        for line in str(detail).splitlines()[:40]:
            print('#   ' + line)


def number(text):
    return None if text == '' else float(text)


def expected_series(chart, cols, rows):
    """The series the chart must hold, from its SQL result and its spec:
    [(name or None, [values])]."""
    if 'radar' in chart:
        sp = chart['radar']
        ii, di, vi = cols.index(sp['item']), cols.index(sp['indicator']), cols.index(sp['value'])
        items, dims = [], []
        for r in rows:
            items += [r[ii]] if r[ii] not in items else []
            dims += [r[di]] if r[di] not in dims else []
        values = {(r[ii], r[di]): number(r[vi]) for r in rows}
        return [(it, [values.get((it, d)) for d in dims]) for it in items]
    xi = cols.index(chart['x'])
    cats = []
    for r in rows:
        cats += [r[xi]] if r[xi] not in cats else []
    if 'group' in chart:
        gi, vi = cols.index(chart['group']), cols.index(chart['value'])
        groups = []
        for r in rows:
            groups += [r[gi]] if r[gi] not in groups else []
        values = {(r[gi], r[xi]): number(r[vi]) for r in rows}
        return [(g, [values.get((g, x)) for x in cats]) for g in groups]
    return [(s['name'], [number(r[cols.index(s['col'])]) for r in rows]) for s in chart['series']]


def actual_series(driver, chart):
    option = driver.execute_script(
        "var c = echarts.getInstanceByDom(document.getElementById('chart-' + arguments[0]));"
        "if (!c) return null;"
        "var o = c.getOption();"
        "return {series: o.series.map(function (s) { return {name: s.name, type: s.type, data: s.data}; }),"
        "        categories: (o.xAxis && o.xAxis[0].type === 'category' ? o.xAxis[0].data :"
        "                     o.yAxis && o.yAxis[0].type === 'category' ? o.yAxis[0].data : null)};",
        chart['id'])
    if option is None:
        return None, None
    if 'radar' in chart:
        return [(d['name'], [None if v is None else float(v) for v in d['value']])
                for d in option['series'][0]['data']], None

    def value(v):
        if isinstance(v, dict):
            v = v.get('value')
        return None if v is None else float(v)
    return [(s['name'], [value(v) for v in s['data']]) for s in option['series']], option['categories']


def main():
    page, shot = sys.argv[1], sys.argv[2]
    profile = tempfile.mkdtemp(prefix='integrity-chromium.')
    opts = webdriver.ChromeOptions()
    opts.binary_location = '/usr/bin/chromium'
    for a in ('--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
              '--disable-background-networking', '--disable-component-update', '--disable-sync',
              '--disable-dev-shm-usage', '--user-data-dir=' + profile, '--window-size=1366,768',
              '--lang=zh-CN'):
        opts.add_argument(a)
    opts.set_capability('goog:loggingPrefs', {'browser': 'ALL', 'performance': 'ALL'})
    driver = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=opts)
    try:
        driver.set_window_size(1366, 768)
        driver.get('file://' + os.path.abspath(page))
        rendered = driver.execute_script("return document.body.getAttribute('data-rendered')")
        check('report.html renders (its script ran to the end)', rendered == 'true')

        logs = driver.get_log('browser')
        errors = [l for l in logs if l.get('level') in ('SEVERE', 'ERROR')]
        check('no console error', not errors, '\n'.join(l.get('message', '') for l in errors))

        requests = []
        for e in driver.get_log('performance'):
            msg = json.loads(e['message'])['message']
            if msg.get('method') == 'Network.requestWillBeSent':
                url = msg['params']['request']['url']
                if url.split(':', 1)[0] in ('http', 'https', 'ws', 'wss', 'ftp'):
                    requests.append(url)
        check('no request leaves the file (works offline: no CDN)', not requests, '\n'.join(requests))

        # the charts: each series equal to the SQL's result
        for chart in report_html.CHARTS:
            cols, rows = report_html.psql_csv(report_html.chart_sql(chart))
            want = expected_series(chart, cols, rows)
            got, cats = actual_series(driver, chart)
            ok = got is not None and got == want and sum(len(v) for _, v in want) > 0
            if ok and cats is not None and 'x' in chart:
                xi = cols.index(chart['x'])
                want_cats = []
                for r in rows:
                    want_cats += [r[xi]] if r[xi] not in want_cats else []
                ok = cats == want_cats
            check('chart %s: %d series as the SQL returns them (%d values)'
                  % (chart['id'], len(want), sum(len(v) for _, v in want)), ok,
                  'expected %r\ngot      %r' % (want[:3], (got or [])[:3]))

        # the tables: every cell equal to the section's result
        for number_, path, title, text in report_html.sections():
            cols, rows = report_html.psql_csv(path=path)
            got = driver.execute_script(
                "var t = document.querySelector('table[data-section=\"' + arguments[0] + '\"]');"
                "if (!t) return null;"
                "return {columns: Array.from(t.querySelectorAll('thead th')).map(function (th) {"
                "            return th.getAttribute('data-column'); }),"
                "        rows: Array.from(t.querySelectorAll('tbody tr')).map(function (tr) {"
                "            return Array.from(tr.cells).map(function (td) { return td.textContent; }); })};",
                str(number_))
            ok = got is not None and got['columns'] == cols and got['rows'] == rows
            diff = ''
            if got is not None and not ok:
                diff = 'columns %r / %r\n' % (got['columns'], cols)
                diff += '\n'.join('row %d: %r != %r' % (i, a, b)
                                  for i, (a, b) in enumerate(zip(got['rows'], rows)) if a != b)[:2000]
                diff += '\nrows %d / %d' % (len(got['rows']), len(rows))
            check('section %d table: %d rows x %d columns equal to demo/report/%s'
                  % (number_, len(rows), len(cols), os.path.basename(path)), ok, diff)
            shown = driver.execute_script(
                "var s = document.getElementById('section-' + arguments[0]);"
                "return s ? s.querySelector('h2').textContent + '\\n' + s.querySelector('p.text').textContent : null;",
                str(number_))
            check('section %d: title and text shown, Chinese first' % number_,
                  shown == title + '\n' + ' '.join(text) and not title.split(' ', 1)[1][:1].isascii(),
                  repr(shown))

        # readable at 1366x768
        m = driver.execute_script(
            "return {inner: window.innerWidth, scroll: document.documentElement.scrollWidth,"
            "        titles: Array.from(document.querySelectorAll('section h2')).map(function (h) {"
            "            return h.getBoundingClientRect().right; }),"
            "        charts: Array.from(document.querySelectorAll('[data-chart]')).map(function (c) {"
            "            var r = c.getBoundingClientRect(); return [c.id, r.width, r.height,"
            "            c.querySelector('canvas') ? c.querySelector('canvas').width : 0]; }),"
            "        font: getComputedStyle(document.body).fontSize};")
        check('at 1366x768 the page does not scroll sideways', m['scroll'] <= m['inner'], repr(m))
        check('at 1366x768 every section title is within the window', max(m['titles']) <= m['inner'], repr(m['titles']))
        small = [c for c in m['charts'] if c[1] < 500 or c[2] < 300 or c[3] == 0]
        check('at 1366x768 every chart is drawn at a readable size (>= 500x300)', not small, repr(small))
        check('the text is at least 13px', float(m['font'].rstrip('px')) >= 13, m['font'])

        driver.execute_script('window.scrollTo(0, 0)')
        ok = driver.save_screenshot(shot)
        check('screenshot at 1366x768 saved: %s' % shot, ok and os.path.getsize(shot) > 10000)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print('1..%d' % n)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
