#!/usr/bin/env python3
"""demo/report_html.py OUT.html — the annual report as one offline HTML page.

Runs every section of demo/report/*.sql and the chart queries below through
psql (the PG* environment names the server and the database holding the
reference model), and writes one self-contained page: the sections' tables
and texts, Chinese first with English beside, and Apache ECharts charts,
with ECharts itself inlined from demo/vendor/echarts/ (no network needed).

Every number in the page is text as psql printed it from SQL: the tables
are the section queries' results, each chart's series the result of its
query, which reads its section's query as a subquery.  The page's script
only places them (Number() of the text for the chart axes); it computes
nothing.  test/report_browser.sh opens the page in Chromium and checks that
the series the charts hold and the cells of the tables equal what the same
SQL returns.  Needs only Python's standard library and psql.
"""
import csv
import html
import io
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT = os.path.join(HERE, 'report')
ECHARTS = os.path.join(HERE, 'vendor', 'echarts', 'echarts.min.js')

GRADE_COLOURS = {'green': '#2e7d32', 'blue': '#1565c0', 'yellow': '#f9a825', 'red': '#c62828'}

# The charts.  sql reads the section's query as {s}; the spec says which
# columns become which series (test/report_browser.sh reads the same spec).
CHARTS = [
    {'id': 'index_band', 'section': 2,
     'title': '清廉金融指数及其 90% 区间 The index by year, with its 90% interval',
     'sql': """SELECT year::text AS year, ci90_low, ci90_high - ci90_low AS ci90_width, index
               FROM ({s}) s WHERE breakdown = 'all' ORDER BY year""",
     'x': 'year',
     'series': [{'col': 'ci90_low', 'name': '90% 区间下限 lower bound', 'type': 'line', 'stack': 'ci', 'invisible': True},
                {'col': 'ci90_width', 'name': '90% 区间 interval', 'type': 'line', 'stack': 'ci', 'area': True,
                 'invisible': True},
                {'col': 'index', 'name': '指数 index', 'type': 'line', 'labels': True}]},
    {'id': 'index_sector', 'section': 2,
     'title': '分行业指数 The index by sector',
     'sql': """SELECT year::text AS year, "group", index FROM ({s}) s WHERE breakdown = 'sector'
               ORDER BY "group", year""",
     'x': 'year', 'group': 'group', 'value': 'index', 'type': 'line'},
    {'id': 'index_district', 'section': 2,
     'title': '分地区指数 The index by district',
     'sql': """SELECT year::text AS year, "group", index FROM ({s}) s WHERE breakdown = 'district'
               ORDER BY "group", year""",
     'x': 'year', 'group': 'group', 'value': 'index', 'type': 'line'},
    {'id': 'grades', 'section': 2,
     'title': '四色等级分布 Institutions per colour grade',
     'sql': """SELECT year::text AS year, green, blue, yellow, red FROM ({s}) s WHERE breakdown = 'all'
               ORDER BY year""",
     'x': 'year',
     'series': [{'col': g, 'name': n, 'type': 'bar', 'stack': 'grades', 'colour': GRADE_COLOURS[g], 'labels': True}
                for g, n in (('green', '绿 green'), ('blue', '蓝 blue'), ('yellow', '黄 yellow'), ('red', '红 red'))]},
    {'id': 'league', 'section': 1,
     'title': '机构清廉积分排名（颜色为等级，✖ 为红线否决） League table: colour is the grade, ✖ a red-line veto',
     'sql': """SELECT institution, total, grade, redlines FROM ({s}) s ORDER BY rank DESC, institution DESC""",
     'x': 'institution', 'horizontal': True, 'height': 960,
     'series': [{'col': 'total', 'name': '总分 total', 'type': 'bar', 'colour_by': 'grade', 'veto': 'redlines'}]},
    {'id': 'radar', 'section': 3,
     'title': '高风险员工画像雷达 Portraits of the highest-risk employees (points per module)',
     'sql': """SELECT s.rank || '. ' || s.person AS person, m.name || ' ' || m.english AS dimension,
                      r.value::numeric AS points,
                      max(abs(r.value::numeric)) OVER () AS bound
               FROM ({s}) s
               CROSS JOIN LATERAL jsonb_each_text(s.radar) r
               JOIN regulator.module m ON m.name = r.key
               ORDER BY s.rank, m.ord""",
     'radar': {'item': 'person', 'indicator': 'dimension', 'value': 'points', 'bound': 'bound'}},
    {'id': 'warnings', 'section': 9,
     'title': '全年预警（按月、按规则） Early warnings over the year, by month and rule',
     'sql': """WITH y AS (SELECT max(year) AS year FROM regulator.scheme_year),
                    w AS ({s})
               SELECT to_char(m.month, 'YYYY-MM') AS month, r.code || ' ' || split_part(r.title, ' ', 1) AS rule,
                      count(w.rule) AS warnings
               FROM y
               CROSS JOIN LATERAL generate_series(make_date(y.year, 1, 1), make_date(y.year, 12, 1),
                                                  interval '1 month') m(month)
               CROSS JOIN regulator.warning_rule r
               LEFT JOIN w ON w.rule = r.code AND date_trunc('month', w.last_on) = m.month
               WHERE r.enabled
               GROUP BY m.month, r.code, r.title
               ORDER BY rule, month""",
     'x': 'month', 'group': 'rule', 'value': 'warnings', 'type': 'bar', 'stack': 'warnings'},
    {'id': 'honour', 'section': 10,
     'title': '光荣榜：示范机构的指数分与行业指数 Honour list: exemplar institutions against their sector',
     'sql': """SELECT who, points, benchmark FROM ({s}) s WHERE kind = 'institution' ORDER BY rank, who""",
     'x': 'who', 'horizontal': True,
     'series': [{'col': 'points', 'name': '指数分 index points', 'type': 'bar', 'colour': '#2e7d32', 'labels': True},
                {'col': 'benchmark', 'name': '行业指数 sector index', 'type': 'bar', 'colour': '#90a4ae'}]},
]


def psql_csv(sql=None, path=None):
    """Run one query with psql, dates in ISO form; (columns, rows) as text."""
    cmd = ['psql', '-X', '-q', '--csv', '-v', 'ON_ERROR_STOP=1', '-c', 'SET datestyle = ISO']
    cmd += ['-f', path] if path else ['-c', sql]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit('psql failed on %s:\n%s' % (path or sql[:200], run.stderr))
    out = run.stdout
    rows = list(csv.reader(io.StringIO(out)))
    return rows[0], rows[1:]


def sections():
    """The section files in order: (number, path, title, text lines)."""
    files = [f for f in os.listdir(REPORT) if re.match(r'^\d+_.*\.sql$', f)]
    out = []
    for f in sorted(files, key=lambda f: int(f.split('_')[0])):
        path = os.path.join(REPORT, f)
        lines = open(path, encoding='utf-8').read().split('\n')
        header = []
        for line in lines:
            if not line.startswith('--'):
                break
            header.append(re.sub(r'^-- ?', '', line))
        out.append((int(f.split('_')[0]), path, header[0], header[1:]))
    return out


def section_query(path):
    """A section's query, to be read as a subquery."""
    text = open(path, encoding='utf-8').read()
    text = '\n'.join(l for l in text.split('\n') if not l.lstrip().startswith('--'))
    return re.sub(r';\s*$', '', text.strip())


def chart_sql(chart):
    path = [p for n, p, _, _ in sections() if n == chart['section']][0]
    return chart['sql'].replace('{s}', section_query(path))


def column_labels():
    """Chinese labels of the sections' columns, from the report views'
    comments when the database has them (COMMENT ON COLUMN report.*)."""
    cols, rows = psql_csv("""SELECT DISTINCT ON (a.attname) a.attname, split_part(d.description, ' ', 1)
                             FROM pg_attribute a
                             JOIN pg_class c ON c.oid = a.attrelid
                             JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'report'
                             JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = a.attnum
                             WHERE a.attnum > 0
                             ORDER BY a.attname, c.relname""")
    return {name: label for name, label in rows if label}


def build():
    data = {'sections': [], 'charts': []}
    labels = column_labels()
    year_cols, year_rows = psql_csv(
        "SELECT max(year) AS year, (SELECT count(*) FROM regulator.institution) AS institutions "
        "FROM regulator.scheme_year")
    data['year'], data['institutions'] = year_rows[0]
    for number, path, title, text in sections():
        cols, rows = psql_csv(path=path)
        data['sections'].append({'number': number, 'title': title, 'text': ' '.join(text),
                                 'columns': cols, 'labels': [labels.get(c, '') for c in cols], 'rows': rows})
    for chart in CHARTS:
        cols, rows = psql_csv(chart_sql(chart))
        spec = {k: v for k, v in chart.items() if k != 'sql'}
        spec.update({'columns': cols, 'rows': rows})
        data['charts'].append(spec)
    return data


PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>清廉金融年度报告 {year} Annual integrity report {year}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 0; background: #f4f6f8; color: #1f2933; }}
header {{ background: #8b1a1a; color: #fff; padding: 16px 24px; }}
header h1 {{ margin: 0; font-size: 24px; }}
header p {{ margin: 4px 0 0; font-size: 14px; opacity: .9; }}
main {{ max-width: 1320px; margin: 0 auto; padding: 8px 16px 32px; }}
section {{ background: #fff; border-radius: 6px; margin: 16px 0; padding: 12px 16px;
          box-shadow: 0 1px 3px rgba(0,0,0,.12); }}
section h2 {{ font-size: 19px; margin: 4px 0 6px; }}
section p.text {{ font-size: 14px; line-height: 1.5; margin: 0 0 10px; color: #3e4c59; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 12px; }}
.chart {{ flex: 1 1 600px; min-width: 560px; height: 380px; }}
.chart.tall {{ flex-basis: 100%; }}
.scroll {{ overflow-x: auto; max-height: 520px; overflow-y: auto; border: 1px solid #e4e7eb; }}
table {{ border-collapse: collapse; font-size: 13px; width: 100%; }}
th, td {{ border-bottom: 1px solid #e4e7eb; padding: 3px 6px; text-align: left; white-space: nowrap; }}
th {{ position: sticky; top: 0; background: #eef1f4; font-weight: 600; }}
th span {{ display: block; font-weight: 400; color: #616e7c; font-size: 11px; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.grade-green {{ background: #c8e6c9; }} td.grade-blue {{ background: #bbdefb; }}
td.grade-yellow {{ background: #fff59d; }} td.grade-red {{ background: #ffcdd2; }}
tr.veto td {{ color: #8b1a1a; }} td.veto {{ font-weight: 700; }}
td.json {{ white-space: normal; min-width: 320px; font-size: 12px; }}
footer {{ font-size: 12px; color: #616e7c; text-align: center; padding: 16px; }}
</style>
<script>{echarts}</script>
</head>
<body>
<header>
<h1>清廉金融年度报告 {year} · Annual integrity report {year}</h1>
<p>{institutions} 家机构 institutions · 合成数据 synthetic district data (demo/generate.sql) ·
   数据来自 SQL 查询 numbers from the queries in demo/report/</p>
</header>
<main id="report"></main>
<footer>图表 Charts: Apache ECharts (Apache License 2.0), 内嵌 inlined for offline reading.</footer>
<script type="application/json" id="report-data">{data}</script>
<script>
(function () {{
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var GRADES = {grades};
  var main = document.getElementById('report');
  var NUMERIC = /^-?[0-9]+(\\.[0-9]+)?$/;
  function el(tag, attrs, text) {{
    var e = document.createElement(tag);
    Object.keys(attrs || {{}}).forEach(function (k) {{ e.setAttribute(k, attrs[k]); }});
    if (text !== undefined) e.textContent = text;
    return e;
  }}
  function num(text) {{ return text === '' ? null : Number(text); }}
  function col(chart, name) {{ return chart.columns.indexOf(name); }}
  var sectionEls = {{}};
  data.sections.forEach(function (s) {{
    var sec = el('section', {{ id: 'section-' + s.number }});
    sec.appendChild(el('h2', {{}}, s.title));
    sec.appendChild(el('p', {{ 'class': 'text' }}, s.text));
    sec.appendChild(el('div', {{ 'class': 'charts' }}));
    var wrap = el('div', {{ 'class': 'scroll' }});
    var table = el('table', {{ 'data-section': String(s.number) }});
    var tr = el('tr');
    s.columns.forEach(function (c, i) {{
      var th = el('th', {{ 'data-column': c }});
      if (s.labels[i]) {{ th.appendChild(document.createTextNode(s.labels[i])); th.appendChild(el('span', {{}}, c)); }}
      else th.textContent = c;
      tr.appendChild(th);
    }});
    var thead = el('thead'); thead.appendChild(tr); table.appendChild(thead);
    var tbody = el('tbody');
    var gi = s.columns.indexOf('grade'), ri = s.columns.indexOf('redlines');
    s.rows.forEach(function (row) {{
      var r = el('tr');
      if (ri >= 0 && Number(row[ri]) > 0) r.className = 'veto';
      row.forEach(function (v, i) {{
        var td = el('td', {{}}, v);
        if (NUMERIC.test(v)) td.className = 'num';
        if (v.charAt(0) === '{{' || v.charAt(0) === '[') td.className = 'json';
        if (i === gi && GRADES[v]) td.className = 'grade-' + v;
        if (i === ri && Number(v) > 0) td.className = 'num veto';
        r.appendChild(td);
      }});
      tbody.appendChild(r);
    }});
    table.appendChild(tbody); wrap.appendChild(table); sec.appendChild(wrap);
    main.appendChild(sec);
    sectionEls[s.number] = sec;
  }});

  function cartesian(c) {{
    var xi = col(c, c.x), series = [], cats = [];
    c.rows.forEach(function (r) {{ if (cats.indexOf(r[xi]) < 0) cats.push(r[xi]); }});
    if (c.group) {{
      var gi = col(c, c.group), vi = col(c, c.value), groups = [];
      c.rows.forEach(function (r) {{ if (groups.indexOf(r[gi]) < 0) groups.push(r[gi]); }});
      groups.forEach(function (g) {{
        var values = cats.map(function (x) {{
          var row = c.rows.filter(function (r) {{ return r[gi] === g && r[xi] === x; }})[0];
          return row ? num(row[vi]) : null;
        }});
        series.push({{ name: g, type: c.type, stack: c.stack, data: values, connectNulls: true }});
      }});
    }} else {{
      c.series.forEach(function (s) {{
        var ci = col(c, s.col), cb = s.colour_by ? col(c, s.colour_by) : -1, vt = s.veto ? col(c, s.veto) : -1;
        var values = c.rows.map(function (r) {{
          var v = num(r[ci]);
          if (cb < 0) return v;
          var item = {{ value: v, itemStyle: {{ color: GRADES[r[cb]] || '#999' }} }};
          if (vt >= 0 && Number(r[vt]) > 0)
            item.label = {{ show: true, position: 'right', formatter: '✖ 红线否决 veto', color: GRADES.red }};
          return item;
        }});
        var one = {{ name: s.name, type: s.type, stack: s.stack, data: values }};
        if (s.colour) one.itemStyle = {{ color: s.colour }};
        if (s.invisible) {{ one.lineStyle = {{ opacity: 0 }}; one.symbol = 'none'; }}
        if (s.area) one.areaStyle = {{ color: 'rgba(139,26,26,0.18)' }};
        if (s.labels) one.label = {{ show: true, position: c.horizontal ? 'right' : 'top' }};
        series.push(one);
      }});
    }}
    var category = {{ type: 'category', data: cats, axisLabel: {{ interval: c.horizontal ? 0 : 'auto' }} }};
    var value = {{ type: 'value', scale: !c.horizontal }};
    return {{
      title: {{ text: c.title, textStyle: {{ fontSize: 14 }} }},
      tooltip: {{ trigger: 'axis' }},
      legend: {{ top: 30, type: 'scroll' }},
      grid: {{ top: 72, left: c.horizontal ? 190 : 48, right: 90, bottom: 28 }},
      xAxis: c.horizontal ? value : category,
      yAxis: c.horizontal ? category : value,
      series: series
    }};
  }}

  function radar(c) {{
    var sp = c.radar, ii = col(c, sp.item), di = col(c, sp.indicator), vi = col(c, sp.value), bi = col(c, sp.bound);
    var items = [], dims = [];
    c.rows.forEach(function (r) {{
      if (items.indexOf(r[ii]) < 0) items.push(r[ii]);
      if (dims.indexOf(r[di]) < 0) dims.push(r[di]);
    }});
    var bound = c.rows.length ? num(c.rows[0][bi]) : 1;
    return {{
      title: {{ text: c.title, textStyle: {{ fontSize: 14 }} }},
      tooltip: {{}},
      legend: {{ top: 30, type: 'scroll' }},
      radar: {{ center: ['50%', '58%'], radius: '62%',
               indicator: dims.map(function (d) {{ return {{ name: d, min: -bound, max: bound }}; }}) }},
      series: [{{ name: c.title, type: 'radar', data: items.map(function (it) {{
        return {{ name: it, value: dims.map(function (d) {{
          var row = c.rows.filter(function (r) {{ return r[ii] === it && r[di] === d; }})[0];
          return row ? num(row[vi]) : null;
        }}) }};
      }}) }}]
    }};
  }}

  data.charts.forEach(function (c) {{
    var box = el('div', {{ 'class': 'chart' + (c.height ? ' tall' : ''), id: 'chart-' + c.id, 'data-chart': c.id }});
    if (c.height) box.style.height = c.height + 'px';
    var sec = sectionEls[c.section];
    sec.querySelector('.charts').appendChild(box);
    var chart = echarts.init(box, null, {{ renderer: 'canvas' }});
    chart.setOption(c.radar ? radar(c) : cartesian(c));
  }});
  window.addEventListener('resize', function () {{
    document.querySelectorAll('[data-chart]').forEach(function (b) {{ echarts.getInstanceByDom(b).resize(); }});
  }});
  document.body.setAttribute('data-rendered', 'true');
}})();
</script>
</body>
</html>
"""


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: demo/report_html.py OUT.html')
    data = build()
    page = PAGE.format(
        year=html.escape(data['year']), institutions=html.escape(data['institutions']),
        echarts=open(ECHARTS, encoding='utf-8').read(),
        # inside <script>: no "</" may end the element early
        data=json.dumps(data, ensure_ascii=False).replace('</', '<\\/'),
        grades=json.dumps(GRADE_COLOURS))
    with open(sys.argv[1], 'w', encoding='utf-8') as f:
        f.write(page)


if __name__ == '__main__':
    main()
