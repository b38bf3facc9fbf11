// minisora site: search, filters, language switch and URL state over the catalogue JSON.
// Catalogue text only ever reaches the page through textContent and DOM nodes, never innerHTML.
(function () {
  "use strict";

  var TEXT = {
    en: {
      title: "Mini Sora papers",
      subtitle: "The Mini Sora community's catalogue of video-generation papers",
      skip: "Skip to results",
      searchHeading: "Search and filters",
      searchLabel: "Search",
      searchPlaceholder: "DiT, diffusion, Peebles, ICCV…",
      searchHint:
        "Titles, short names, authors, venues, descriptions and tags. Press / to search, Esc to clear.",
      categoryLabel: "Category",
      allCategories: "All categories",
      fromLabel: "From year",
      toLabel: "To year",
      anyYear: "Any",
      hasLabel: "Has link",
      reset: "Clear all",
      planHeading: "Reading plan",
      planBadge: "Reading plan #{n}",
      count: "{shown} of {total} papers",
      countOne: "1 of {total} papers",
      none: "No papers match. Try fewer words or clear the filters.",
      more: "Show {n} more",
      stars: "★ {n} stars",
      archived: "archived",
      pushed: "last push {d}",
      moved: "moved",
      noYear: "year unknown",
      langButton: "中文",
      langAria: "切换到中文 (switch to Chinese)",
      footer: "Generated from data/papers.yaml by minisora site. Edit the catalogue, not this page.",
      docTitle: "Mini Sora papers",
      linksLabel: "Links",
    },
    zh: {
      title: "Mini Sora 论文目录",
      subtitle: "Mini Sora 社区整理的视频生成论文目录",
      skip: "跳到结果",
      searchHeading: "搜索与筛选",
      searchLabel: "搜索",
      searchPlaceholder: "DiT、diffusion、作者、会议…",
      searchHint: "搜索标题、简称、作者、会议、简介和标签。按 / 开始搜索，按 Esc 清空。",
      categoryLabel: "分类",
      allCategories: "全部分类",
      fromLabel: "起始年份",
      toLabel: "截止年份",
      anyYear: "不限",
      hasLabel: "包含链接",
      reset: "全部清除",
      planHeading: "论文共读计划",
      planBadge: "共读计划 第 {n} 篇",
      count: "显示 {shown} / {total} 篇论文",
      countOne: "显示 1 / {total} 篇论文",
      none: "没有符合条件的论文。请减少关键词或清除筛选。",
      more: "再显示 {n} 篇",
      stars: "★ {n} 星",
      archived: "已归档",
      pushed: "最近提交 {d}",
      moved: "已迁移",
      noYear: "年份未知",
      langButton: "English",
      langAria: "Switch to English (切换到英文)",
      footer: "由 minisora site 根据 data/papers.yaml 生成。请修改目录文件，而不是本页面。",
      docTitle: "Mini Sora 论文目录",
      linksLabel: "链接",
    },
  };
  var KIND_NAMES = {
    en: {
      paper: "Paper", github: "GitHub", modelscope: "ModelScope", project: "Project",
      blog: "Blog", report: "Report", homepage: "Homepage", other: "Link",
    },
    zh: {
      paper: "论文", github: "GitHub", modelscope: "ModelScope", project: "项目主页",
      blog: "博客", report: "报告", homepage: "主页", other: "链接",
    },
  };
  var PAGE = 50;
  var LANG_KEY = "minisora.lang";

  var data = JSON.parse(document.getElementById("minisora-data").textContent);
  var categories = data.categories.map(function (c) {
    return { id: c[0], en: c[1], zh: c[2], count: 0 };
  });
  var categoryIndex = {};
  categories.forEach(function (c, i) { categoryIndex[c.id] = i; });
  var kinds = data.kinds;
  var kindBit = {};
  kinds.forEach(function (k, i) { kindBit[k] = 1 << i; });
  var kindsPresent = 0;
  var years = {};
  var planRank = {};
  data.plan.forEach(function (id, i) { planRank[id] = i + 1; });

  var papers = data.papers.map(function (a, i) {
    var links = (a[8] || []).map(function (l) {
      return { kind: kinds[l[0]], url: (l[1] >= 0 ? data.origins[l[1]] : "") + l[2], label: l[3] || "" };
    });
    var mask = 0;
    links.forEach(function (l) { mask |= kindBit[l.kind]; });
    kindsPresent |= mask;
    var p = {
      i: i, id: a[0], short: a[1] || "", title: a[2], cats: a[3] || [], year: a[4] || 0,
      venue: a[5] || "", authors: a[6] || [], tags: a[7] || [], links: links,
      gh: a[9] || null, desc: a[10] || "", arxiv: a[11] || "", mask: mask,
      plan: planRank[a[0]] || 0,
    };
    p.cats.forEach(function (c) { categories[c].count += 1; });
    if (p.year) years[p.year] = true;
    p.sl = p.short.toLowerCase();
    p.tl = p.title.toLowerCase();
    p.ol = [p.id, p.authors.join("\n"), p.venue, p.tags.join("\n"), p.desc, p.arxiv]
      .join("\n").toLowerCase();
    p.all = p.sl + "\n" + p.tl + "\n" + p.ol;
    return p;
  });
  var byId = {};
  papers.forEach(function (p) { byId[p.id] = p; });
  var yearList = Object.keys(years).map(Number).sort(function (x, y) { return x - y; });

  var $ = function (id) { return document.getElementById(id); };
  var app = $("app"), q = $("q"), catSelect = $("category"), fromSelect = $("from");
  var toSelect = $("to"), kindsBox = $("kinds"), results = $("results"), count = $("count");
  var more = $("more"), langButton = $("lang");

  var lang = initialLanguage();
  var state = emptyState();
  var shown = [];
  var rendered = 0;
  var words = [];
  var typing = false;

  function emptyState() {
    return { q: "", category: "", from: 0, to: 0, has: [] };
  }

  function initialLanguage() {
    var saved = null;
    try { saved = window.localStorage.getItem(LANG_KEY); } catch (e) { saved = null; }
    if (saved === "en" || saved === "zh") return saved;
    var prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
    return String(prefs[0] || "en").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
  }

  function t(key, values) {
    var s = TEXT[lang][key];
    if (values) {
      s = s.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
    }
    return s;
  }

  function number(n) {
    return n.toLocaleString(lang === "zh" ? "zh-CN" : "en-US");
  }

  function categoryName(i) {
    return lang === "zh" ? categories[i].zh : categories[i].en;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- URL state ---------------------------------------------------------------------------

  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var s = emptyState();
    s.q = params.get("q") || "";
    var category = params.get("category") || "";
    s.category = categoryIndex.hasOwnProperty(category) ? category : "";
    s.from = parseInt(params.get("from"), 10) || 0;
    s.to = parseInt(params.get("to"), 10) || 0;
    s.has = (params.get("has") || "").split(",").filter(function (k) {
      return kindBit.hasOwnProperty(k);
    });
    return s;
  }

  function hashOf(s) {
    var params = new URLSearchParams();
    if (s.q) params.set("q", s.q);
    if (s.category) params.set("category", s.category);
    if (s.from) params.set("from", String(s.from));
    if (s.to) params.set("to", String(s.to));
    if (s.has.length) params.set("has", s.has.join(","));
    var text = params.toString().replace(/%2C/g, ",");
    return text ? "#" + text : "";
  }

  function saveState(replace) {
    var hash = hashOf(state);
    if (hash === hashOf(readHash())) return;
    var url = window.location.pathname + window.location.search + hash;
    try {
      if (replace) window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    } catch (e) {
      window.location.hash = hash;
    }
  }

  function fromControls() {
    state.q = q.value;
    state.category = catSelect.value;
    state.from = parseInt(fromSelect.value, 10) || 0;
    state.to = parseInt(toSelect.value, 10) || 0;
    state.has = [];
    kindsBox.querySelectorAll("input").forEach(function (box) {
      if (box.checked) state.has.push(box.value);
    });
  }

  function toControls() {
    if (q.value !== state.q) q.value = state.q;
    catSelect.value = state.category;
    fromSelect.value = String(state.from || "");
    toSelect.value = String(state.to || "");
    kindsBox.querySelectorAll("input").forEach(function (box) {
      box.checked = state.has.indexOf(box.value) >= 0;
    });
  }

  // --- search ------------------------------------------------------------------------------

  function score(p, w) {
    if (p.all.indexOf(w) < 0) return -1;
    if (p.sl === w) return 1000;
    if (p.sl.indexOf(w) === 0) return 600;
    if (p.sl.indexOf(w) > 0) return 400;
    var at = p.tl.indexOf(w);
    if (at === 0 || (at > 0 && !/[\w\u00c0-\uffff]/.test(p.tl.charAt(at - 1)))) return 300;
    if (at > 0) return 200;
    return 50;
  }

  function search() {
    words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var cat = state.category ? categoryIndex[state.category] : -1;
    var need = 0;
    state.has.forEach(function (k) { need |= kindBit[k]; });
    var from = state.from, to = state.to;
    var whole = words.join(" ");
    var found = [];
    for (var i = 0; i < papers.length; i++) {
      var p = papers[i];
      if (cat >= 0 && p.cats.indexOf(cat) < 0) continue;
      if ((p.mask & need) !== need) continue;
      if (from && !(p.year >= from)) continue;
      if (to && !(p.year && p.year <= to)) continue;
      var total = 0;
      for (var j = 0; j < words.length; j++) {
        var s = score(p, words[j]);
        if (s < 0) { total = -1; break; }
        total += s;
      }
      if (total < 0) continue;
      if (words.length > 1 && (p.sl === whole || p.tl === whole)) total += 2000;
      found.push({ p: p, s: total });
    }
    if (words.length) {
      found.sort(function (x, y) { return y.s - x.s || x.p.i - y.p.i; });
    }
    return found.map(function (f) { return f.p; });
  }

  // Appends ``text`` to ``node`` with every occurrence of a search word wrapped in <mark>.
  function highlighted(node, text) {
    var lower = text.toLowerCase();
    if (!words.length || lower.length !== text.length) {
      node.appendChild(document.createTextNode(text));
      return node;
    }
    var ranges = [];
    words.forEach(function (w) {
      var at = lower.indexOf(w);
      while (at >= 0) {
        ranges.push([at, at + w.length]);
        at = lower.indexOf(w, at + w.length);
      }
    });
    ranges.sort(function (x, y) { return x[0] - y[0]; });
    var pos = 0;
    ranges.forEach(function (r) {
      if (r[1] <= pos) return;
      var start = Math.max(r[0], pos);
      if (start > pos) node.appendChild(document.createTextNode(text.slice(pos, start)));
      node.appendChild(el("mark", "", text.slice(start, r[1])));
      pos = r[1];
    });
    if (pos < text.length) node.appendChild(document.createTextNode(text.slice(pos)));
    return node;
  }

  // --- rendering -----------------------------------------------------------------------------

  function host(url) {
    var m = /^https?:\/\/([^/?#]+)/i.exec(url);
    return m ? m[1].replace(/^www\./, "") : url;
  }

  function linkList(p) {
    var list = el("ul", "links");
    list.setAttribute("aria-label", t("linksLabel"));
    p.links.forEach(function (l) {
      var item = el("li");
      var a = el("a");
      a.href = l.url;
      a.rel = "noopener noreferrer";
      a.appendChild(el("span", "kind", KIND_NAMES[lang][l.kind]));
      a.appendChild(el("span", "host", l.label || host(l.url)));
      a.title = l.url;
      item.appendChild(a);
      list.appendChild(item);
    });
    return list;
  }

  function card(p) {
    var item = el("li", "paper");
    item.id = "paper-" + p.id;
    var article = el("article");
    var heading = el("h3");
    heading.id = "title-" + p.id;
    if (p.short) {
      heading.appendChild(highlighted(el("span", "short"), p.short));
      heading.appendChild(document.createTextNode(" "));
    }
    heading.appendChild(highlighted(el("span", "title"), p.title));
    article.setAttribute("aria-labelledby", heading.id);
    article.appendChild(heading);

    var meta = el("p", "meta");
    if (p.cats.length) {
      meta.appendChild(el("span", "cat", p.cats.map(categoryName).join(", ")));
    }
    meta.appendChild(el("span", "year", p.year ? String(p.year) : t("noYear")));
    if (p.venue) meta.appendChild(highlighted(el("span", "venue"), p.venue));
    if (p.authors.length) meta.appendChild(highlighted(el("span", "authors"), p.authors.join(", ")));
    article.appendChild(meta);

    if (p.desc) article.appendChild(highlighted(el("p", "desc"), p.desc));

    var chips = el("ul", "chips");
    if (p.plan) chips.appendChild(el("li", "chip plan-badge", t("planBadge", { n: p.plan })));
    if (p.gh) {
      chips.appendChild(el("li", "chip stars", t("stars", { n: number(p.gh[0] || 0) })));
      if (p.gh[1]) chips.appendChild(el("li", "chip warn archived", t("archived")));
      if (p.gh[2]) chips.appendChild(el("li", "chip", t("pushed", { d: p.gh[2] })));
      if (p.gh[3]) {
        var moved = el("li", "chip warn");
        var to = el("a", "", t("moved") + ": " + host(p.gh[3]));
        to.href = p.gh[3];
        moved.appendChild(to);
        chips.appendChild(moved);
      }
    }
    p.tags.forEach(function (tag) {
      chips.appendChild(highlighted(el("li", "chip tag"), "#" + tag));
    });
    if (chips.firstChild) article.appendChild(chips);
    article.appendChild(linkList(p));
    item.appendChild(article);
    return item;
  }

  function renderMore() {
    var stop = Math.min(rendered + PAGE, shown.length);
    var frag = document.createDocumentFragment();
    for (var i = rendered; i < stop; i++) frag.appendChild(card(shown[i]));
    results.appendChild(frag);
    rendered = stop;
    var left = shown.length - rendered;
    more.hidden = left <= 0;
    if (left > 0) more.textContent = t("more", { n: number(Math.min(left, PAGE)) });
  }

  function render() {
    shown = search();
    rendered = 0;
    results.textContent = "";
    renderMore();
    var total = number(papers.length);
    count.textContent = shown.length
      ? t(shown.length === 1 ? "countOne" : "count", { shown: number(shown.length), total: total })
      : t("none");
    count.dataset.shown = String(shown.length);
    count.dataset.total = String(papers.length);
  }

  function renderPlan() {
    var list = $("plan-list");
    list.textContent = "";
    var plan = data.plan.filter(function (id) { return byId.hasOwnProperty(id); });
    $("plan").hidden = !plan.length;
    $("plan-count").textContent = "(" + plan.length + ")";
    plan.forEach(function (id) {
      var p = byId[id];
      var item = el("li");
      if (p.short) {
        item.appendChild(el("strong", "short", p.short));
        item.appendChild(document.createTextNode(" "));
      }
      item.appendChild(document.createTextNode(p.title + " "));
      var links = linkList(p);
      links.className = "links inline";
      item.appendChild(links);
      list.appendChild(item);
    });
  }

  function option(value, text) {
    var o = el("option", "", text);
    o.value = value;
    return o;
  }

  function fillControls() {
    catSelect.textContent = "";
    catSelect.appendChild(option("", t("allCategories")));
    categories.forEach(function (c, i) {
      catSelect.appendChild(option(c.id, categoryName(i) + " (" + number(c.count) + ")"));
    });
    [fromSelect, toSelect].forEach(function (select) {
      select.textContent = "";
      select.appendChild(option("", t("anyYear")));
      yearList.forEach(function (y) { select.appendChild(option(String(y), String(y))); });
    });
    kindsBox.textContent = "";
    kinds.forEach(function (k) {
      if (!(kindsPresent & kindBit[k])) return;
      var label = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.name = "has";
      box.value = k;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + KIND_NAMES[lang][k]));
      kindsBox.appendChild(label);
    });
    toControls();
  }

  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t("docTitle");
    document.querySelectorAll("[data-i18n]").forEach(function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    q.placeholder = t("searchPlaceholder");
    langButton.textContent = t("langButton");
    langButton.lang = lang === "zh" ? "en" : "zh-CN";
    langButton.setAttribute("aria-label", t("langAria"));
    fillControls();
    renderPlan();
    render();
  }

  // --- events --------------------------------------------------------------------------------

  q.addEventListener("input", function () {
    fromControls();
    saveState(typing);
    typing = true;
    render();
  });
  q.addEventListener("blur", function () { typing = false; });
  q.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && q.value) {
      event.preventDefault();
      q.value = "";
      fromControls();
      typing = false;
      saveState(false);
      render();
    } else if (event.key === "Enter") {
      event.preventDefault();
      typing = false;
    }
  });
  $("controls").addEventListener("change", function (event) {
    if (event.target === q) return;
    fromControls();
    typing = false;
    saveState(false);
    render();
  });
  $("controls").addEventListener("submit", function (event) { event.preventDefault(); });
  $("reset").addEventListener("click", function () {
    state = emptyState();
    toControls();
    typing = false;
    saveState(false);
    render();
  });
  document.querySelector(".skip").addEventListener("click", function (event) {
    event.preventDefault();
    results.focus();
  });
  more.addEventListener("click", function () {
    var first = rendered;
    renderMore();
    var next = results.children[first];
    if (next) {
      var link = next.querySelector("a");
      if (link) link.focus();
    }
  });
  langButton.addEventListener("click", function () {
    lang = lang === "zh" ? "en" : "zh";
    try { window.localStorage.setItem(LANG_KEY, lang); } catch (e) { /* private mode */ }
    applyLanguage();
  });
  function fromUrl() {
    state = readHash();
    typing = false;
    toControls();
    render();
  }
  window.addEventListener("popstate", fromUrl);
  window.addEventListener("hashchange", fromUrl);
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var editing = target && (target.tagName === "INPUT" || target.tagName === "SELECT" ||
      target.tagName === "TEXTAREA" || target.isContentEditable);
    if (event.key === "/" && !editing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      q.focus();
      q.select();
    }
  });

  state = readHash();
  app.hidden = false;
  langButton.hidden = false;
  applyLanguage();
  if (window.performance && performance.mark) performance.mark("minisora-ready");
})();
