/**
 * The browser side of the report: draws the charts from the embedded model with uPlot. Plain ES2017
 * in a string (no build step, no template literals inside) so the page stays one file. It only
 * reads the model; every number it shows was computed by buildReport.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var model = JSON.parse(document.getElementById('zerodrop-data').textContent);
  var rootStyle = getComputedStyle(document.documentElement);
  function cssVar(name) { return rootStyle.getPropertyValue(name).trim(); }
  var CLASSES = ['refused', 'reset', 'socket-closed', 'timeout', 'http-5xx', 'other'];
  var STATES = ['pending', 'ready', 'unready', 'terminating', 'signalled', 'killed', 'exited'];
  var STATE_TEXT = { pending: 'pending', ready: 'ready', unready: 'not ready', terminating: 'terminating (preStop / grace period)', signalled: 'signalled (stop signal sent)', killed: 'killed (SIGKILL sent)', exited: 'exited' };
  var CONSUMER_COLOURS = ['#1c7ed6', '#0ca678', '#7950f2', '#e64980', '#495057'];
  var AXIS_WIDTH = 180; // every chart's y axis has this width so the plot areas, and so the time axes, line up
  var ROW = 28;
  var PRINT_WIDTH = 960;
  var tooltip = document.createElement('div');
  tooltip.className = 'tooltip';
  document.body.appendChild(tooltip);
  var charts = {};
  var syncing = false;

  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; }); }
  function fmtMs(ms) {
    if (ms == null || !isFinite(ms)) return '–';
    var a = Math.abs(ms);
    if (a >= 10000) return (ms / 1000).toFixed(1) + ' s';
    if (a >= 1000) return (ms / 1000).toFixed(2) + ' s';
    if (a >= 10) return Math.round(ms) + ' ms';
    return ms.toFixed(1) + ' ms';
  }
  function fmtS(s) { return s == null ? '–' : s.toFixed(2) + ' s'; }
  function classColour(c) { return cssVar('--cls-' + c) || '#868e96'; }
  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  function consumerColours(run) {
    var map = {}, i = 0;
    run.lanes.forEach(function (lane) {
      lane.marks.forEach(function (m) {
        if (m.consumer && !(m.consumer in map)) map[m.consumer] = m.consumer === 'endpointslice' ? '#868e96' : CONSUMER_COLOURS[i++ % CONSUMER_COLOURS.length];
      });
    });
    return map;
  }

  function xRange(run) { return [Math.min(run.series.t[0], run.timeRange.start) / 1000, run.timeRange.end / 1000]; }

  function baseOpts(run, index, width, height, withLabels) {
    return {
      width: width,
      height: height,
      cursor: { sync: { key: 'run-' + index, setSeries: false }, drag: { x: true, y: false }, points: { size: 6 }, y: false },
      scales: { x: { time: false } },
      axes: [
        { values: function (u, splits) { return splits.map(function (v) { return v + ' s'; }); }, grid: { stroke: '#eef0f3' }, ticks: { stroke: '#dee2e6' } },
        { size: AXIS_WIDTH, grid: { stroke: '#eef0f3' }, ticks: { stroke: '#dee2e6' } }
      ],
      hooks: {
        setScale: [function (u, key) {
          if (key !== 'x' || syncing) return;
          syncing = true;
          var set = charts[index];
          ['rps', 'latency', 'lanes'].forEach(function (k) {
            var other = set && set[k];
            if (other && other !== u) other.setScale('x', { min: u.scales.x.min, max: u.scales.x.max });
          });
          syncing = false;
        }],
        draw: [function (u) { drawRolloutMarks(u, run, withLabels); }]
      }
    };
  }

  function drawRolloutMarks(u, run, withLabels) {
    var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height, pr = uPlot.pxRatio;
    ctx.save();
    ctx.beginPath(); ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height); ctx.clip();
    run.rolloutMarks.forEach(function (m) {
      if (m.action !== 'start' && m.action !== 'complete' && m.action !== 'deadline-exceeded') return;
      var x = Math.round(u.valToPos(m.t / 1000, 'x', true));
      ctx.strokeStyle = m.action === 'deadline-exceeded' ? '#c92a2a' : '#5c7cfa';
      ctx.setLineDash([4 * pr, 4 * pr]); ctx.lineWidth = pr;
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + h); ctx.stroke();
      ctx.setLineDash([]);
      if (!withLabels) return;
      ctx.fillStyle = '#4263eb'; ctx.font = (10 * pr) + 'px system-ui, sans-serif'; ctx.textBaseline = 'top';
      ctx.fillText('rollout ' + m.action, x + 4 * pr, top + 3 * pr);
    });
    ctx.restore();
  }

  function withEnds(run, xs, columns) {
    // Each chart carries the run's first and last instant so all three share one x extent (and a double-click resets them alike).
    var r = xRange(run);
    var x = xs.slice();
    var cols = columns.map(function (c) { return c.slice(); });
    if (x[0] > r[0]) { x.unshift(r[0]); cols.forEach(function (c) { c.unshift(null); }); }
    if (x[x.length - 1] < r[1]) { x.push(r[1]); cols.forEach(function (c) { c.push(c[c.length - 1] == null ? null : c[c.length - 1]); }); }
    return [x].concat(cols);
  }

  function rpsChart(run, index, el, width) {
    var s = run.series;
    var present = CLASSES.filter(function (c) { return s.failedRps[c].some(function (v) { return v > 0; }); });
    var raw = [s.okRps].concat(present.map(function (c) { return s.failedRps[c]; }));
    var stacked = [], acc = s.okRps.map(function () { return 0; });
    raw.forEach(function (col) { acc = acc.map(function (a, i) { return a + col[i]; }); stacked.push(acc); });
    var data = withEnds(run, s.t.map(function (t) { return t / 1000; }), stacked);
    var step = uPlot.paths.stepped({ align: 1 });
    var ok = cssVar('--ok');
    var series = [{ label: 'time', value: function (u, v) { return fmtS(v); } }, {
      label: 'succeeded', stroke: ok, fill: alpha(ok, 0.35), width: 1.5, paths: step, points: { show: false },
      value: function (u, v, si, i) { return i == null ? '–' : rawAt(0, i).toFixed(0) + ' req/s'; }
    }];
    function rawAt(k, i) { var off = data[0][0] < s.t[0] / 1000 ? 1 : 0; var v = raw[k][i - off]; return v == null ? 0 : v; }
    present.forEach(function (c, k) {
      var col = classColour(c);
      series.push({ label: c, stroke: col, width: 1.5, paths: step, points: { show: false },
        value: function (u, v, si, i) { return i == null ? '–' : rawAt(k + 1, i).toFixed(0) + ' req/s'; } });
    });
    var bands = present.map(function (c, k) { return { series: [k + 2, k + 1], fill: alpha(classColour(c), 0.75) }; });
    var opts = baseOpts(run, index, width, 200, true);
    opts.series = series;
    opts.bands = bands;
    opts.scales.y = { range: function (u, min, max) { return [0, Math.max(1, max * 1.08)]; } };
    opts.axes[1].label = 'req/s';
    opts.axes[1].values = function (u, splits) { return splits.map(function (v) { return v.toFixed(0); }); };
    return new uPlot(opts, data, el);
  }

  function latencyChart(run, index, el, width) {
    var l = run.series.latency;
    var clamp = function (col) { return col.map(function (v) { return v == null ? null : Math.max(0.1, v); }); };
    var data = withEnds(run, run.series.t.map(function (t) { return t / 1000; }), [clamp(l.p50), clamp(l.p90), clamp(l.p99), clamp(l.max)]);
    var fmt = function (u, v) { return v == null ? '–' : fmtMs(v); };
    var opts = baseOpts(run, index, width, 170);
    opts.series = [
      { label: 'time', value: function (u, v) { return fmtS(v); } },
      { label: 'p50', stroke: '#1c7ed6', width: 1.5, value: fmt, points: { show: false } },
      { label: 'p90', stroke: '#7048e8', width: 1.5, value: fmt, points: { show: false } },
      { label: 'p99', stroke: '#e8590c', width: 1.5, value: fmt, points: { show: false } },
      { label: 'max', stroke: '#adb5bd', width: 1, dash: [4, 3], value: fmt, points: { show: false } }
    ];
    // Without any successful request there is nothing to range on; keep a sane empty axis so the plot still lines up.
    opts.scales.y = { distr: 3, log: 10, range: function (u, min, max) { return min == null || max == null ? [1, 1000] : uPlot.rangeLog(min, max, 10, true); } };
    opts.axes[1].label = 'latency';
    opts.axes[1].values = function (u, splits) { return splits.map(function (v) { return v == null ? '' : fmtMs(v); }); };
    return new uPlot(opts, data, el);
  }

  function laneRows(run) {
    var rows = run.lanes.map(function (lane, i) { return { lane: lane, index: i, label: lane.pod, failures: lane.failures }; });
    var orphan = [];
    run.failures.forEach(function (f, i) { if (f.pod === null || !run.lanes.some(function (l) { return l.pod === f.pod; })) orphan.push(i); });
    if (orphan.length > 0) rows.unshift({ lane: null, index: -1, label: '(no pod known)', failures: orphan });
    return rows;
  }

  function lanesChart(run, index, el, width) {
    var rows = laneRows(run);
    var n = Math.max(1, rows.length);
    var colours = consumerColours(run);
    var r = xRange(run);
    var opts = baseOpts(run, index, width, n * ROW + 64); // + the x axis (50 px) and padding
    opts.series = [{ label: 'time' }, { label: 'lanes', paths: function () { return null; }, points: { show: false } }];
    opts.legend = { show: false };
    opts.cursor.points = { show: false };
    opts.scales.y = { auto: false, range: [0, n] };
    opts.axes[1].splits = function () { return rows.map(function (row, i) { return n - i - 0.5; }); };
    opts.axes[1].values = function (u, splits) { return splits.map(function (v) { var row = rows[Math.round(n - v - 0.5)]; return row ? shorten(row.label, 26) : ''; }); };
    opts.axes[1].grid = { show: false };
    opts.axes[1].ticks = { show: false };
    opts.axes[1].space = 8; // one label per lane, however few lanes
    opts.axes[1].font = '11px ' + cssVar('--mono');
    opts.axes[1].label = 'pods';
    opts.hooks.draw.unshift(function (u) { drawLanes(u, run, rows, colours); });
    opts.hooks.setCursor = [function (u) { laneHover(u, run, rows); }];
    var u = new uPlot(opts, [r, [null, null]], el);
    u.over.addEventListener('mouseleave', function () { tooltip.style.display = 'none'; });
    u.zerodropRows = rows;
    addConsumerLegend(el, colours);
    return u;
  }

  function shorten(s, max) { return s.length <= max ? s : '…' + s.slice(s.length - max + 1); }

  function addConsumerLegend(el, colours) {
    var legend = el.parentNode.querySelector('.lanes-legend');
    if (!legend || legend.querySelector('.consumer')) return;
    Object.keys(colours).forEach(function (c) {
      var span = document.createElement('span');
      span.className = 'mk consumer';
      span.style.color = colours[c];
      span.textContent = '┃ ' + c;
      legend.appendChild(span);
    });
  }

  function rowGeometry(u, rows, i) {
    var n = Math.max(1, rows.length);
    var y0 = u.valToPos(n - i, 'y', true), y1 = u.valToPos(n - i - 1, 'y', true);
    return { top: y0, height: y1 - y0, mid: (y0 + y1) / 2 };
  }

  function drawLanes(u, run, rows, colours) {
    var ctx = u.ctx, pr = uPlot.pxRatio, b = u.bbox;
    ctx.save();
    ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
    rows.forEach(function (row, i) {
      var g = rowGeometry(u, rows, i);
      if (i % 2 === 1) { ctx.fillStyle = '#f8f9fb'; ctx.fillRect(b.left, g.top, b.width, g.height); }
      var barH = g.height * 0.5, barTop = g.mid - barH / 2;
      if (row.lane) {
        row.lane.intervals.forEach(function (iv) {
          var x0 = u.valToPos(iv.start / 1000, 'x', true), x1 = u.valToPos(iv.end / 1000, 'x', true);
          ctx.fillStyle = cssVar('--st-' + iv.state);
          ctx.fillRect(x0, barTop, Math.max(pr, x1 - x0), barH);
        });
        drawFailures(u, run, row, g);
        row.lane.marks.forEach(function (m) {
          var x = Math.round(u.valToPos(m.t / 1000, 'x', true));
          if (m.kind === 'endpoint-removed') {
            ctx.fillStyle = colours[m.consumer] || '#1c7ed6';
            ctx.fillRect(x - pr, g.top + 2 * pr, 2.5 * pr, g.height - 4 * pr);
          } else if (m.kind === 'endpoint-added') {
            ctx.fillStyle = alpha(colours[m.consumer] || '#1c7ed6', 0.45);
            ctx.fillRect(x - 0.5 * pr, barTop + barH, 1.5 * pr, g.height / 2 - barH / 2 - 2 * pr);
          } else if (m.kind === 'signal') {
            ctx.fillStyle = cssVar('--mk-signal');
            ctx.beginPath(); ctx.moveTo(x - 5 * pr, barTop - 5 * pr); ctx.lineTo(x + 5 * pr, barTop - 5 * pr); ctx.lineTo(x, barTop + 2 * pr); ctx.closePath(); ctx.fill();
          } else if (m.kind === 'kill') {
            ctx.strokeStyle = cssVar('--mk-kill'); ctx.lineWidth = 2.2 * pr;
            var k = 4.5 * pr;
            ctx.beginPath(); ctx.moveTo(x - k, g.mid - k); ctx.lineTo(x + k, g.mid + k); ctx.moveTo(x + k, g.mid - k); ctx.lineTo(x - k, g.mid + k); ctx.stroke();
          } else if (m.kind === 'restart') {
            ctx.fillStyle = '#c92a2a'; ctx.font = (12 * pr) + 'px system-ui, sans-serif'; ctx.textBaseline = 'middle'; ctx.fillText('↻', x - 4 * pr, g.mid);
          }
        });
      } else drawFailures(u, run, row, g);
    });
    ctx.restore();
  }

  // Failures go under the markers so a SIGKILL or an endpoint removal stays visible inside a burst.
  function drawFailures(u, run, row, g) {
    var ctx = u.ctx, pr = uPlot.pxRatio;
    ctx.lineWidth = pr;
    ctx.strokeStyle = '#fff';
    row.failures.forEach(function (fi) {
      var f = run.failures[fi];
      ctx.fillStyle = classColour(f.error);
      ctx.beginPath(); ctx.arc(u.valToPos(f.t / 1000, 'x', true), g.mid, 3.6 * pr, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    });
  }

  function laneHover(u, run, rows) {
    var left = u.cursor.left, top = u.cursor.top;
    if (left == null || left < 0 || top == null || top < 0) { tooltip.style.display = 'none'; return; }
    var n = Math.max(1, rows.length);
    var rowCss = u.bbox.height / uPlot.pxRatio / n;
    var i = Math.floor(top / rowCss);
    var row = rows[i];
    if (!row) { tooltip.style.display = 'none'; return; }
    var t = u.posToVal(left, 'x') * 1000;
    var tol = (u.posToVal(left + 6, 'x') * 1000) - t;
    var html = '<b>' + esc(row.label) + '</b>' + (row.lane && row.lane.revision ? ' <span class="k">' + esc(row.lane.revision) + '</span>' : '') + '<br>';
    var near = row.failures.filter(function (fi) { return Math.abs(run.failures[fi].t - t) <= tol; });
    if (near.length > 0) {
      near.sort(function (a, b) { return Math.abs(run.failures[a].t - t) - Math.abs(run.failures[b].t - t); });
      var f = run.failures[near[0]];
      html += '<span class="sw" style="background:' + classColour(f.error) + '"></span><b>failed: ' + esc(f.error) + '</b>' +
        (f.status !== undefined ? ' HTTP ' + esc(f.status) : '') + (f.code ? ' ' + esc(f.code) : '') + '<br>' +
        '<span class="k">sent at</span> ' + fmtS(f.t / 1000) + ' <span class="k">took</span> ' + fmtMs(f.latencyMs) + '<br>' +
        '<span class="k">pod</span> ' + esc(f.pod === null ? 'unknown' : f.pod);
      if (near.length > 1) {
        var counts = {};
        near.forEach(function (fi) { var c = run.failures[fi].error; counts[c] = (counts[c] || 0) + 1; });
        html += '<br><span class="k">' + near.length + ' failures here:</span> ' + Object.keys(counts).map(function (c) { return esc(c) + ' ' + counts[c]; }).join(', ');
      }
      html += stateAt(row, f.t);
    } else {
      var marks = row.lane ? row.lane.marks.filter(function (m) { return Math.abs(m.t - t) <= tol && m.kind !== 'probe-fail'; }) : [];
      if (marks.length > 0) html += marks.map(function (m) { return fmtS(m.t / 1000) + ' ' + esc(m.label); }).join('<br>');
      else if (row.lane) {
        var iv = row.lane.intervals.filter(function (x) { return t >= x.start && t < x.end; })[0];
        if (!iv) { tooltip.style.display = 'none'; return; }
        html += '<b>' + esc(STATE_TEXT[iv.state] || iv.state) + '</b><br><span class="k">from</span> ' + fmtS(iv.start / 1000) + ' <span class="k">to</span> ' + fmtS(iv.end / 1000) + ' (' + fmtMs(iv.end - iv.start) + ')<br><span class="k">because</span> ' + esc(iv.cause);
      } else { tooltip.style.display = 'none'; return; }
    }
    var rect = u.over.getBoundingClientRect();
    tooltip.innerHTML = html;
    tooltip.style.display = 'block';
    var x = rect.left + left + 14, y = rect.top + top + 14;
    var w = tooltip.offsetWidth, h = tooltip.offsetHeight;
    if (x + w > window.innerWidth - 8) x = rect.left + left - w - 14;
    if (y + h > window.innerHeight - 8) y = rect.top + top - h - 14;
    // Page coordinates (position: absolute) so the tooltip stays put in full-page captures.
    tooltip.style.left = (x + window.scrollX) + 'px';
    tooltip.style.top = (y + window.scrollY) + 'px';
  }

  function stateAt(row, t) {
    if (!row.lane) return '';
    var iv = row.lane.intervals.filter(function (x) { return t >= x.start && t < x.end; })[0];
    if (iv) return '<br><span class="k">pod was</span> ' + esc(STATE_TEXT[iv.state] || iv.state);
    var last = row.lane.intervals[row.lane.intervals.length - 1];
    return last && t >= last.end ? '<br><span class="k">pod was</span> already deleted (a consumer still routed to it)' : '';
  }

  function chartWidth(el) { return el.clientWidth > 0 ? el.clientWidth : PRINT_WIDTH; }

  function build(index) {
    if (charts[index]) return charts[index];
    var section = document.querySelector('section.run[data-run="' + index + '"]');
    var run = model.runs[index];
    var el = function (k) { return section.querySelector('[data-chart="' + k + '"]'); };
    var set = {};
    charts[index] = set;
    set.rps = rpsChart(run, index, el('rps'), chartWidth(el('rps')));
    set.latency = latencyChart(run, index, el('latency'), chartWidth(el('latency')));
    set.lanes = lanesChart(run, index, el('lanes'), chartWidth(el('lanes')));
    return set;
  }

  function resizeAll(width) {
    Object.keys(charts).forEach(function (k) {
      ['rps', 'latency', 'lanes'].forEach(function (c) {
        var u = charts[k][c];
        var w = width || chartWidth(u.root.parentNode);
        // A height-only resize (a full-page capture, a mobile toolbar) must not reset the cursor and hide the tooltip.
        if (w !== u.width) u.setSize({ width: w, height: u.height });
      });
    });
  }

  function select(index) {
    document.querySelectorAll('section.run').forEach(function (s) { s.classList.toggle('active', Number(s.dataset.run) === index); });
    document.querySelectorAll('nav.tabs button').forEach(function (b) { b.classList.toggle('active', Number(b.dataset.run) === index); });
    document.querySelectorAll('tr[data-select-run]').forEach(function (r) { r.classList.toggle('selected', Number(r.dataset.selectRun) === index); });
    tooltip.style.display = 'none';
    build(index);
    resizeAll();
  }

  document.querySelectorAll('nav.tabs button').forEach(function (b) { b.addEventListener('click', function () { select(Number(b.dataset.run)); history.replaceState(null, '', '#run-' + b.dataset.run); }); });
  document.querySelectorAll('tr[data-select-run]').forEach(function (r) {
    r.addEventListener('click', function (e) { e.preventDefault(); select(Number(r.dataset.selectRun)); document.querySelector('nav.tabs').scrollIntoView({ behavior: 'smooth' }); });
  });
  var resizeTimer = null;
  window.addEventListener('resize', function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(function () { resizeAll(); }, 100); });
  // Printing shows every run one per page: build the hidden ones and size everything to the page.
  window.addEventListener('beforeprint', function () {
    document.body.classList.add('printing');
    model.runs.forEach(function (r, i) { build(i); });
    resizeAll(PRINT_WIDTH);
  });
  window.addEventListener('afterprint', function () { document.body.classList.remove('printing'); resizeAll(); });

  var fromHash = /^#run-(\d+)$/.exec(location.hash);
  var first = fromHash && model.runs[Number(fromHash[1])] ? Number(fromHash[1]) : 0;
  if (model.runs.length > 0) select(first);

  window.zerodropReport = {
    model: model,
    charts: charts,
    select: select,
    /** Viewport coordinates of a failure's dot on the pod lanes (scrolled into view), for tests. Call after select(runIndex) has painted. */
    failurePoint: function (runIndex, failureIndex) {
      var u = charts[runIndex].lanes, rows = u.zerodropRows;
      var i = rows.findIndex(function (row) { return row.failures.indexOf(failureIndex) >= 0; });
      u.over.scrollIntoView({ block: 'center' });
      var rect = u.over.getBoundingClientRect();
      var rowCss = u.bbox.height / uPlot.pxRatio / Math.max(1, rows.length);
      return { x: rect.left + u.valToPos(model.runs[runIndex].failures[failureIndex].t / 1000, 'x'), y: rect.top + (i + 0.5) * rowCss };
    },
    ready: true
  };
})();
`;
