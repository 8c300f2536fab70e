// The report's script (declared in html_assets.h beside the style sheet).
#include "html_assets.h"

namespace neardup::cli {

const char kHtmlReportScript[] = R"js(
(function () {
  'use strict';
  var views = document.getElementById('views');
  var scan = document.body.getAttribute('data-report') === 'scan';
  var tables = document.querySelectorAll('section.listing');
  var current = null;  /* the view shown */
  var at = 0;          /* its passage or member last moved to */

  /* A scan report's view (pair N or cluster N) is built from its JSON
     string the first time it is shown; a compare report's view is already
     in the page. */
  function viewFor(kind, n) {
    var view = document.getElementById(
        (kind === 'pair' ? 'view-' : 'cluster-view-') + n);
    if (view) return view;
    var data = document.querySelector(
        'script[type="application/json"][data-' + kind + '="' + n + '"]');
    if (!data) return null;
    var holder = document.createElement('div');
    holder.innerHTML = JSON.parse(data.textContent);
    view = holder.firstElementChild;
    views.appendChild(view);
    return view;
  }

  function isCluster(view) {
    return view.classList.contains('cluster-view');
  }

  function first(view, side, n) {
    return view.querySelector(
        '[data-side="' + side + '"] [data-passage="' + n + '"]');
  }

  function flash(el) {
    el.classList.add('flash');
    setTimeout(function () { el.classList.remove('flash'); }, 900);
  }

  /* Scrolls a side's column (not the page) to a passage. */
  function reveal(el, quiet) {
    if (!el) return;
    var box = el.closest('.text');
    var top = el.getBoundingClientRect().top - box.getBoundingClientRect().top;
    box.scrollTop += top - box.clientHeight / 3;
    if (!quiet) flash(el);
  }

  /* Passage n of a pair's view, or member n of a cluster's. */
  function showPassage(view, n, focusSide) {
    var count = view.querySelectorAll('button.goto').length;
    if (n < 1 || n > count) return;
    at = n;
    if (isCluster(view)) {
      var shared = view.querySelector('.shared[data-member="' + n + '"]');
      shared.scrollIntoView({block: 'center'});
      flash(shared);
      shared.focus({preventScroll: true});
      return;
    }
    reveal(first(view, 'a', n));
    reveal(first(view, 'b', n));
    var el = first(view, focusSide || 'a', n);
    if (el) el.focus({preventScroll: true});
  }

  function partner(el) {
    var view = el.closest('.view');
    var side = el.closest('[data-side]').getAttribute('data-side');
    var n = +el.getAttribute('data-passage');
    var other = first(view, side === 'a' ? 'b' : 'a', n);
    at = n;
    reveal(other);
    if (other) other.focus({preventScroll: true});
  }

  /* From a cluster member's shared text to the next member's (the first
     after the last). */
  function nextMember(el) {
    var view = el.closest('.view');
    var count = view.querySelectorAll('button.goto').length;
    showPassage(view, +el.getAttribute('data-member') % count + 1);
  }

  function route() {
    var m = /^#(pair|cluster)-(\d+)$/.exec(location.hash);
    var view = m ? viewFor(m[1], m[2]) : null;
    if (!scan) view = view || views.querySelector('.view');
    Array.prototype.forEach.call(views.children, function (v) {
      v.hidden = v !== view;
    });
    Array.prototype.forEach.call(tables, function (t) { t.hidden = !!view; });
    if (view !== current && view) {
      /* Each column starts at the first passage. */
      at = 0;
      reveal(first(view, 'a', 1), true);
      reveal(first(view, 'b', 1), true);
    }
    current = view;
    if (view && scan) {
      window.scrollTo(0, 0);
    } else if (!view && location.hash.length > 1) {
      var target = document.getElementById(location.hash.slice(1));
      if (target) target.scrollIntoView();
    }
  }

  document.addEventListener('click', function (e) {
    var go = e.target.closest('button.goto');
    if (go) {
      showPassage(go.closest('.view'), +go.getAttribute('data-goto'));
      return;
    }
    if (window.getSelection().toString()) return;
    var p = e.target.closest('.p');
    if (p) partner(p);
    var shared = e.target.closest('.shared');
    if (shared) nextMember(shared);
  });

  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var p = e.target.closest && e.target.closest('.p, .shared');
    if (p && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      if (p.classList.contains('shared')) {
        nextMember(p);
      } else {
        partner(p);
      }
    } else if (current && (e.key === 'n' || e.key === 'j')) {
      showPassage(current, at + 1);
    } else if (current && (e.key === 'p' || e.key === 'k')) {
      showPassage(current, at - 1);
    } else if (e.key === 'Escape' && scan && current) {
      location.hash = isCluster(current) ? '#clusters' : '#pairs';
    }
  });

  /* Sortable tables: numbers by their data-v, text by content. */
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.querySelectorAll('th');
    Array.prototype.forEach.call(heads, function (th, column) {
      th.querySelector('button').addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) {
          h.removeAttribute('aria-sort');
        });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.getAttribute('data-type') === 'num';
        var body = table.querySelector('tbody');
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) {
          var cell = row.cells[column];
          return numeric ? +cell.getAttribute('data-v') : cell.textContent;
        };
        rows.sort(function (x, y) {
          var a = key(x), b = key(y);
          var c = numeric ? a - b : a.localeCompare(b);
          if (c === 0) c = x.cells[0].getAttribute('data-v') -
                           y.cells[0].getAttribute('data-v');
          return ascending ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  window.addEventListener('hashchange', route);
  route();
})();
)js";

}  // namespace neardup::cli
