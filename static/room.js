// Salon's live room: progressive enhancement of the server-rendered room page.
// Without this script the page works with plain forms; with it, messages arrive live, posts go
// over the websocket with "sending / sent / failed" state, and a dropped connection reconnects
// with ?after=<last id> and back-off, so no message is missed or shown twice. The panel's
// priority rounds (ballot and results), themes, decisions and actions follow the strategy
// frames; a ballot goes over the websocket, or as the plain form when the socket is down.
// All text is inserted as text nodes, never as HTML.
(function () {
  "use strict";
  var root = document.querySelector("[data-room-ws]");
  if (!root || !window.WebSocket) return;
  var log = document.getElementById("messages");
  var form = document.getElementById("post");
  var status = document.getElementById("connection");
  var onlineList = document.getElementById("online");
  var organiser = root.dataset.organiser === "true";
  var last = parseInt(root.dataset.last || "0", 10) || 0;
  var socket = null;
  var attempt = 0;
  // client_id -> { li, frame, timer }. A Map, not a plain object: another client's client_id
  // ("constructor", "__proto__") must not match something every object already has.
  var pending = new Map();

  function label(name) { return root.dataset["label" + name.charAt(0).toUpperCase() + name.slice(1)] || name; }

  // The time as the server writes it, in the salon's zone and the page's language: the page
  // carries the language's clock pattern ("%H.%M": "09.05", "%-H.%M": "9.05", "%H:%M": "09:05").
  function clock(at) {
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.tz })
        .formatToParts(new Date(at)).forEach(function (p) { parts[p.type] = p.value; });
    } catch (e) {
      var d = new Date(at);
      parts = { hour: ("0" + d.getHours()).slice(-2), minute: ("0" + d.getMinutes()).slice(-2) };
    }
    var pattern = root.dataset.clock || "%H:%M";
    var hour = pattern.indexOf("%-H") === 0 ? String(parseInt(parts.hour, 10)) : parts.hour;
    return hour + (pattern.indexOf(".") >= 0 ? "." : ":") + parts.minute;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // Text with web addresses as links, built from text nodes.
  function linkify(parent, text) {
    text.split(/(\s+)/).forEach(function (word) {
      var m = /^(https?:\/\/[^\s]+?)([.,)!?;:]*)$/.exec(word);
      if (m) {
        var a = document.createElement("a");
        a.href = m[1];
        a.rel = "nofollow noopener noreferrer ugc";
        a.textContent = m[1];
        parent.appendChild(a);
        if (m[2]) parent.appendChild(document.createTextNode(m[2]));
      } else {
        parent.appendChild(document.createTextNode(word));
      }
    });
  }

  // A message from the page's <template> (web::room::items renders it and the history): the
  // values filled in, the parts this message has not removed, so it is the markup a reload shows.
  var templates = {
    message: document.getElementById("message-template"),
    question: document.getElementById("question-template")
  };
  function clone(which) {
    var t = templates[which];
    return t && t.content.firstElementChild ? t.content.firstElementChild.cloneNode(true) : null;
  }
  function part(el, name) { return el.querySelector('[data-part="' + name + '"]'); }
  function drop(el, name) { var p = part(el, name); if (p) p.remove(); }
  // Put a message's id (and author) into the template's form addresses and field ids.
  function address(el, values) {
    el.querySelectorAll("form[action]").forEach(function (f) {
      var a = f.getAttribute("action");
      Object.keys(values).forEach(function (k) { a = a.split("{" + k + "}").join(String(values[k])); });
      f.setAttribute("action", a);
    });
    el.querySelectorAll("[id*='{id}'], [for*='{id}']").forEach(function (e) {
      ["id", "for"].forEach(function (n) {
        var v = e.getAttribute(n);
        if (v) e.setAttribute(n, v.split("{id}").join(String(values.id)));
      });
    });
  }
  // Known abbreviations (web::glossary::terms_json, longest first): the first on the page of
  // each is marked as the server marks a stored message (domain::glossary): a whole word in its
  // own case, an <abbr> with its expansion in a link to its entry in the key.
  var glossary = [];
  try { glossary = JSON.parse(root.dataset.glossary || "[]"); } catch (e) { glossary = []; }
  var wordChar = /[\p{L}\p{N}]/u;
  var markedTerms = new Set();
  document.querySelectorAll("a.abbr abbr").forEach(function (a) { markedTerms.add(a.textContent); });
  function markWord(parent, word) {
    var chars = Array.from(word), text = "", i = 0;
    function flush() { if (text) parent.appendChild(document.createTextNode(text)); text = ""; }
    while (i < chars.length) {
      var hit = null;
      if (glossary.length && (i === 0 || !wordChar.test(chars[i - 1]))) {
        var rest = chars.slice(i).join("");
        hit = glossary.find(function (t) {
          if (rest.indexOf(t.term) !== 0) return false;
          var after = Array.from(rest.slice(t.term.length))[0];
          return !after || !wordChar.test(after);
        });
      }
      if (!hit) { text += chars[i]; i += 1; continue; }
      i += Array.from(hit.term).length;
      if (markedTerms.has(hit.term)) { text += hit.term; continue; }
      markedTerms.add(hit.term);
      flush();
      var a = document.createElement("a");
      a.className = "abbr";
      a.setAttribute("href", "/glossary#" + hit.anchor);
      var abbr = document.createElement("abbr");
      abbr.setAttribute("title", hit.expansion);
      abbr.textContent = hit.term;
      a.appendChild(abbr);
      parent.appendChild(a);
    }
    flush();
  }
  // The body as the server writes it: lines with <br>, web addresses (after trailing
  // punctuation is taken off) as links, the rest as text.
  function writeBody(parent, body) {
    body.split(/\r?\n/).forEach(function (line, i) {
      if (i > 0) parent.appendChild(document.createElement("br"));
      line.split(" ").forEach(function (word, k) {
        if (k > 0) parent.appendChild(document.createTextNode(" "));
        var trimmed = word.replace(/[.,)!?;:]+$/, "");
        var ok = /^https?:\/\//.test(trimmed);
        if (ok) { try { new URL(trimmed); } catch (e) { ok = false; } }
        if (ok) {
          var a = document.createElement("a");
          a.setAttribute("href", trimmed);
          a.setAttribute("rel", "nofollow noopener noreferrer ugc");
          a.textContent = trimmed;
          parent.appendChild(a);
          if (word.length > trimmed.length) parent.appendChild(document.createTextNode(word.slice(trimmed.length)));
        } else if (word) {
          markWord(parent, word);
        }
      });
    });
    parent.normalize();
  }
  function messageItem(msg) {
    var li = clone("message");
    if (!li) return null;
    li.id = "m" + msg.id;
    li.dataset.id = msg.id;
    li.dataset.clientId = msg.client_id;
    li.className = "message" + (msg.hidden ? " hidden" : "");
    // A deleted account's messages stay, without a name (the server sends it empty).
    li.querySelector(".meta strong").textContent = msg.author.name || root.dataset.former || "";
    if (msg.author.org) part(li, "org").textContent = " · " + msg.author.org;
    else drop(li, "org");
    var time = li.querySelector(".meta time");
    time.setAttribute("datetime", msg.at);
    time.textContent = clock(msg.at);
    if (!msg.question) drop(li, "question");
    if (!msg.hidden) drop(li, "hidden");
    else drop(li, "tools");
    if (!msg.author.id) drop(li, "mute");
    address(li, { id: msg.id, author: msg.author.id });
    writeBody(li.querySelector(".body"), msg.body);
    var wording = li.querySelector(".record-decision textarea");
    if (wording) wording.textContent = msg.body;
    return li;
  }
  function votesText(n) {
    var list = document.getElementById("questions");
    var form = n === 1 ? "labelVotesOne" : "labelVotesOther";
    return ((list && list.dataset[form]) || "{n}").split("{n}").join(String(n));
  }
  function questionItem(q) {
    var li = clone("question");
    if (!li) return null;
    li.dataset.id = q.id;
    li.className = "question" + (q.answered ? " answered" : "");
    var votes = li.querySelector(".votes");
    votes.dataset.votes = q.votes || 0;
    votes.textContent = votesText(q.votes || 0);
    li.querySelector(".q-body").textContent = q.body;
    if (!q.answered) drop(li, "answered");
    else drop(li, "answer");
    address(li, { id: q.id });
    return li;
  }
  // A new question joins the Q&A list (hidden ones only for organisers, who see them marked).
  function addQuestion(msg) {
    var list = document.getElementById("questions");
    if (!list || !msg.question || (msg.hidden && !organiser)) return;
    if (list.querySelector('li[data-id="' + msg.id + '"]')) return;
    var li = questionItem(msg);
    if (!li) return;
    list.appendChild(li);
    var none = document.getElementById("no-questions");
    if (none) none.remove();
  }

  // The conversation's pane follows new messages while the reader is at its end (and after
  // one's own post); someone reading back up is left where they are.
  var pane = document.getElementById("message-log");
  function atEnd() { return !pane || pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80; }
  function toEnd() { if (pane) pane.scrollTop = pane.scrollHeight; }
  toEnd();

  function onMessage(msg) {
    var follow = atEnd() || pending.has(msg.client_id);
    var empty = document.getElementById("no-messages");
    if (empty) empty.remove();
    var p = pending.get(msg.client_id);
    var li = document.getElementById("m" + msg.id) ? null : messageItem(msg);
    if (p) {
      clearTimeout(p.timer);
      pending.delete(msg.client_id);
      if (li) p.li.replaceWith(li);
      else p.li.remove();
    } else if (li) {
      log.appendChild(li);
    }
    addQuestion(msg);
    if (follow) toEnd();
    if (msg.id > last) last = msg.id;
  }

  // Hidden by an organiser: organisers keep it, marked and without controls, as a reload
  // shows it; everyone else loses it, from the Q&A list too.
  function onHide(id) {
    var li = document.getElementById("m" + id);
    var q = document.querySelector('#questions li[data-id="' + id + '"]');
    if (!organiser) {
      if (li) li.remove();
      if (q) q.remove();
      return;
    }
    if (!li || li.classList.contains("hidden")) return;
    li.classList.add("hidden");
    drop(li, "tools");
    var mark = clone("message");
    if (mark) li.querySelector(".meta").appendChild(part(mark, "hidden"));
  }

  function onAnswered(id) {
    var li = document.querySelector('#questions li[data-id="' + id + '"]');
    if (!li || li.classList.contains("answered")) return;
    li.classList.add("answered");
    var mark = clone("question");
    if (mark) li.querySelector(".q-body").after(part(mark, "answered"));
    drop(li, "answer");
  }

  // Something to tell everyone once (a round opened or closed, a new room): the banner above the
  // conversation, which is a polite live region.
  function news(text, href, linkText) {
    var box = document.getElementById("room-news");
    if (!box) return;
    box.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = linkText;
      p.appendChild(document.createTextNode(" "));
      p.appendChild(a);
    }
    box.appendChild(p);
  }

  // The salon's rooms (a breakout started): the list above the conversation, shown from two.
  function showRooms(rooms) {
    var nav = document.getElementById("room-nav");
    if (!nav) return;
    var ul = nav.querySelector("ul");
    var known = ul.querySelectorAll("li").length;
    ul.textContent = "";
    rooms.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/salons/" + nav.dataset.salon + "/room?room=" + r.id;
      a.textContent = r.name || nav.dataset.labelMain;
      if (String(r.id) === nav.dataset.room) a.setAttribute("aria-current", "page");
      li.appendChild(a);
      ul.appendChild(li);
    });
    nav.hidden = rooms.length < 2;
    if (rooms.length > known && known > 0) {
      var added = rooms[rooms.length - 1];
      news(label("newRoom").split("{name}").join(added.name), "/salons/" + nav.dataset.salon + "/room?room=" + added.id, label("goToRoom"));
    }
  }

  // The salon's materials, the whole list, built as web/materials/view.rs renders it: a heading
  // and a list per phase (pre-reads first), each item its link and what it is.
  function showMaterials(list) {
    var box = document.getElementById("room-materials");
    var holder = document.getElementById("room-materials-list");
    if (!box || !holder) return;
    holder.textContent = "";
    ["before", "after"].forEach(function (phase) {
      var items = list.filter(function (m) { return m.phase === phase; });
      if (!items.length) return;
      var h = document.createElement("h3");
      h.textContent = box.dataset[phase === "before" ? "labelBefore" : "labelAfter"];
      var ul = document.createElement("ul");
      ul.className = "materials";
      ul.dataset.phase = phase;
      items.forEach(function (m) {
        var li = document.createElement("li");
        li.dataset.material = m.id;
        var a = document.createElement("a");
        a.href = m.href;
        a.textContent = m.title;
        var detail = document.createElement("span");
        detail.className = "muted";
        detail.textContent = "(" + m.detail + ")";
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(detail);
        ul.appendChild(li);
      });
      holder.appendChild(h);
      holder.appendChild(ul);
    });
    box.hidden = list.length === 0;
  }

  // The agenda's item under way (the organiser moved it, or the clock; null: none), and the
  // organiser's "next item" button moved along with it.
  function showAgenda(current) {
    var items = document.querySelectorAll("#room-agenda-list > li");
    items.forEach(function (li, i) {
      var now = i === current;
      li.className = now ? "current" : "";
      if (now) li.setAttribute("aria-current", "true");
      else li.removeAttribute("aria-current");
      var badge = li.querySelector(".badge");
      if (now && !badge) {
        li.appendChild(document.createTextNode(" "));
        var b = document.createElement("span");
        b.className = "badge";
        b.textContent = label("now");
        li.appendChild(b);
      } else if (!now && badge) {
        if (badge.previousSibling && badge.previousSibling.nodeType === 3) badge.previousSibling.remove();
        badge.remove();
      }
    });
    var next = document.querySelector(".agenda-controls form");
    if (next) {
      var n = current === null || current === undefined ? 0 : current + 1;
      next.querySelector("input[name=item]").value = String(n);
      next.querySelector("button").disabled = n >= items.length;
    }
  }

  function setStatus(text) { if (status) status.textContent = text; }

  function send(entry) {
    entry.li.classList.add("sending");
    entry.state.textContent = label("sending");
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(entry.frame));
    clearTimeout(entry.timer);
    entry.timer = setTimeout(function () {
      entry.state.textContent = label("failed") + " ";
      var retry = document.createElement("button");
      retry.type = "button";
      retry.className = "link";
      retry.textContent = label("retry");
      retry.addEventListener("click", function () { send(entry); });
      entry.state.appendChild(retry);
    }, 10000);
  }

  function connect() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + root.dataset.roomWs + "&after=" + last;
    socket = new WebSocket(url);
    socket.addEventListener("open", function () {
      attempt = 0;
      setStatus(label("online"));
      // Anything not confirmed yet goes again; the same client_id makes it one message.
      pending.forEach(function (entry) { send(entry); });
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === "message") onMessage(frame);
      else if (frame.type === "presence" || frame.type === "hello") showOnline(frame.online || [], frame.count);
      else if (frame.type === "hide") onHide(frame.id);
      else if (frame.type === "votes") {
        var votes = document.querySelector('#questions li[data-id="' + frame.id + '"] .votes');
        if (votes) { votes.dataset.votes = frame.votes; votes.textContent = votesText(frame.votes); }
      } else if (frame.type === "answered") onAnswered(frame.id);
      else if (frame.type === "rooms") showRooms(frame.rooms);
      else if (frame.type === "agenda") showAgenda(frame.current);
      else if (frame.type === "materials") showMaterials(frame.materials);
      else if (frame.type === "round_opened" || frame.type === "round_results" || frame.type === "round_closed") {
        strategy.round(frame.round);
      } else if (frame.type === "ballot_accepted") strategy.accepted(frame.round, frame.points);
      else if (frame.type === "theme") strategy.theme(frame.theme);
      else if (frame.type === "proposal") strategy.proposal(frame.proposal);
      else if (frame.type === "poll") strategy.poll(frame.poll);
      else if (frame.type === "decision") strategy.decision(frame.decision);
      else if (frame.type === "action") strategy.action(frame.action);
      else if (frame.type === "error" && frame.round) strategy.refused(frame.round, frame.message);
      else if (frame.type === "error") setStatus(frame.message);
    });
    socket.addEventListener("close", function (event) {
      // 1008: the server closed because the rights are gone (signed out, no longer
      // registered); its error frame says why. Reconnecting would only be refused.
      if (event.code === 1008) return;
      setStatus(label("offline"));
      attempt += 1;
      var delay = Math.min(30000, 1000 * Math.pow(2, attempt - 1)) * (0.8 + Math.random() * 0.4);
      setTimeout(connect, delay);
    });
  }

  // A large room names only the first people; the rest are counted.
  function showOnline(people, count) {
    if (!onlineList) return;
    onlineList.textContent = "";
    people.forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = p.name + (p.org ? " (" + p.org + ")" : "");
      onlineList.appendChild(li);
    });
    if (count > people.length) {
      var more = document.createElement("li");
      var n = count - people.length;
      more.textContent = label(n === 1 ? "moreOne" : "moreOther").replace("{n}", String(n));
      onlineList.appendChild(more);
    }
  }

  // The strategy panel: rounds, themes, decisions, actions. Each frame carries the item's
  // whole state, so showing it again is always right (a replay after a reconnect included).
  var strategy = (function () {
    var rounds = document.getElementById("rounds");
    function el(tag, className, text) {
      var e = document.createElement(tag);
      if (className) e.className = className;
      if (text !== undefined) e.textContent = text;
      return e;
    }
    function txt(t) { return document.createTextNode(t); }
    // A text from a section's data-label-* attributes ("state-open" -> data-label-state-open).
    function say(box, name, values) {
      var key = "label" + name.split("-").map(function (w) { return w.charAt(0).toUpperCase() + w.slice(1); }).join("");
      var text = (box && box.dataset[key]) || name;
      Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
      return text;
    }

    // A count in the form its number asks for (data-label-NAME-one / -other).
    function sayN(box, name, n) { return say(box, name + (n === 1 ? "-one" : "-other"), { n: n }); }

    function article(round) {
      var art = document.getElementById("round-" + round.id);
      if (!art) {
        art = el("article", "round");
        art.id = "round-" + round.id;
        art.dataset.round = round.id;
        art.setAttribute("aria-labelledby", "round-" + round.id + "-q");
        var h = el("h3");
        h.id = "round-" + round.id + "-q";
        var a = el("a", "", round.question);
        a.href = "/salons/" + round.salon + "/rounds/" + round.id;
        h.appendChild(a);
        h.appendChild(txt(" "));
        h.appendChild(el("span", "badge"));
        art.appendChild(h);
        rounds.appendChild(art);
        var none = document.getElementById("no-rounds");
        if (none) none.remove();
      }
      art.querySelector("h3 .badge").textContent = say(rounds, round.state === "closed" ? "closed" : "open");
      return art;
    }

    function ballot(round) {
      var f = el("form", "ballot");
      f.method = "post";
      f.action = "/salons/" + round.salon + "/rounds/" + round.id + "/ballot";
      [["csrf", rounds.dataset.csrf], ["room", rounds.dataset.room]].forEach(function (pair) {
        var h = el("input");
        h.type = "hidden";
        h.name = pair[0];
        h.value = pair[1];
        f.appendChild(h);
      });
      var fs = el("fieldset");
      fs.appendChild(el("legend", "", say(rounds, "legend", { points: round.points_per_person, max: round.max_per_option })));
      round.options.forEach(function (o) {
        var row = el("div", "field field-inline");
        var id = "r" + round.id + "-o" + o.id;
        var label = el("label", "", o.label);
        label.htmlFor = id;
        var input = el("input");
        input.type = "number";
        input.id = id;
        input.name = "option-" + o.id;
        input.min = "0";
        input.max = String(round.max_per_option);
        input.value = "0";
        input.dataset.option = o.id;
        row.appendChild(label);
        row.appendChild(input);
        fs.appendChild(row);
      });
      f.appendChild(fs);
      var left = el("p", "points-left", pointsLeft(round.points_per_person));
      left.setAttribute("aria-live", "polite");
      left.dataset.total = round.points_per_person;
      f.appendChild(left);
      var submit = el("div");
      var button = el("button", "", say(rounds, "cast"));
      button.type = "submit";
      submit.appendChild(button);
      f.appendChild(submit);
      var state = el("p", "ballot-status");
      state.setAttribute("role", "status");
      f.appendChild(state);
      return f;
    }

    function results(round) {
      var top = Math.max(1, Math.max.apply(null, round.options.map(function (o) { return o.points; })));
      var wrap = el("div", "round-results");
      var table = el("table", "results");
      table.appendChild(el("caption", "", say(rounds, "results")));
      var head = el("thead");
      var hr = el("tr");
      ["option", "points"].forEach(function (n) { var th = el("th", "", say(rounds, n)); th.scope = "col"; hr.appendChild(th); });
      head.appendChild(hr);
      table.appendChild(head);
      var body = el("tbody");
      round.options.forEach(function (o) {
        var tr = el("tr");
        var th = el("th", "", o.label);
        th.scope = "row";
        var td = el("td");
        var meter = el("meter");
        meter.min = 0;
        meter.max = top;
        meter.value = o.points;
        meter.setAttribute("aria-hidden", "true");
        td.appendChild(meter);
        td.appendChild(txt(" "));
        td.appendChild(el("span", "points", String(o.points)));
        tr.appendChild(th);
        tr.appendChild(td);
        body.appendChild(tr);
      });
      table.appendChild(body);
      wrap.appendChild(table);
      wrap.appendChild(el("p", "voters", sayN(rounds, "voters", round.voters)));
      return wrap;
    }

    function showRound(round) {
      if (!rounds) return;
      var known = document.getElementById("round-" + round.id);
      var before = known ? known.dataset.state : null;
      var art = article(round);
      art.dataset.state = round.state;
      var form = art.querySelector("form.ballot");
      if (round.state === "open" && !form) {
        var after = art.querySelector(".run-round[data-step=close]");
        art.insertBefore(ballot(round), after ? after.nextSibling : art.children[1] || null);
      }
      if (round.state === "closed" && form) form.remove();
      art.querySelectorAll(".run-round").forEach(function (f) {
        f.hidden = !((f.dataset.step === "open" && round.state === "draft") || (f.dataset.step === "close" && round.state === "open"));
      });
      art.querySelectorAll(".round-results, .round > p.voters").forEach(function (old) { old.remove(); });
      if (round.voters !== undefined) art.appendChild(results(round));
      else art.appendChild(el("p", "voters muted", sayN(rounds, "hidden", round.ballots || 0)));
      // Said once, when the state changes (a replay after a reconnect carries the same state).
      if (before !== round.state && round.state === "open") {
        news(say(rounds, "opened", { question: round.question }), "#round-" + round.id, say(rounds, "vote-now"));
      } else if (before && before !== round.state && round.state === "closed") {
        news(say(rounds, "closed-news", { question: round.question }), "#round-" + round.id, say(rounds, "see-results"));
      }
    }

    // "Du har 3 point tilbage", or how many too many, as the server writes it.
    function pointsLeft(left) {
      return left >= 0 ? sayN(rounds, "left", left) : say(rounds, "over", { n: -left });
    }

    // The points left, as the numbers in a ballot change.
    if (rounds) {
      rounds.addEventListener("input", function (event) {
        var f = event.target.closest && event.target.closest("form.ballot");
        var left = f && f.querySelector(".points-left");
        if (!left) return;
        var used = 0;
        f.querySelectorAll("input[data-option]").forEach(function (input) {
          var v = parseInt(input.value, 10);
          if (v > 0) used += v;
        });
        left.textContent = pointsLeft(parseInt(left.dataset.total, 10) - used);
      });
    }

    function status(roundId, text) {
      var p = document.querySelector("#round-" + roundId + " .ballot-status");
      if (p) p.textContent = text;
    }

    // Send a ballot over the socket; without one the form posts as usual.
    if (rounds) {
      rounds.addEventListener("submit", function (event) {
        var f = event.target;
        if (!f.classList.contains("ballot") || !socket || socket.readyState !== WebSocket.OPEN) return;
        event.preventDefault();
        var art = f.closest("article");
        var points = {};
        f.querySelectorAll("input[data-option]").forEach(function (input) {
          var v = input.value.trim();
          points[input.dataset.option] = v === "" ? 0 : (/^\d+$/.test(v) ? parseInt(v, 10) : v);
        });
        status(art.dataset.round, "…");
        socket.send(JSON.stringify({ type: "ballot", round: parseInt(art.dataset.round, 10), points: points }));
      });
    }

    function showTheme(t) {
      var list = document.getElementById("theme-list");
      if (!list) return;
      var li = document.getElementById("theme-" + t.id);
      if (t.merged_into) { if (li) li.remove(); return; }
      if (!li) { li = el("li"); li.id = "theme-" + t.id; list.appendChild(li); }
      var box = document.getElementById("room-themes");
      li.textContent = "";
      var a = el("a", "", t.title);
      a.href = "/themes/" + t.id;
      li.appendChild(a);
      li.appendChild(txt(" · "));
      li.appendChild(el("span", "support", sayN(box, "supporters", t.support)));
      li.appendChild(txt(" · "));
      li.appendChild(el("span", "state", say(box, "state-" + t.state)));
    }

    function showDecision(d) {
      var list = document.getElementById("decision-list");
      if (!list) return;
      var li = document.getElementById("decision-" + d.id);
      if (d.withdrawn_at) { if (li) li.remove(); return; }
      if (!li) { li = el("li"); li.id = "decision-" + d.id; list.appendChild(li); }
      li.textContent = d.body;
    }

    // A date ("2027-05-01") the way the page's language writes a day (its `time.day` pattern:
    // %d %-d %m %-m %Y %B), as the server does.
    function day(box, iso) {
      var p = iso.split("-").map(function (x) { return parseInt(x, 10); });
      var months = (box.dataset.months || "").split(",");
      var two = function (n) { return (n < 10 ? "0" : "") + n; };
      var parts = { "%-d": String(p[2]), "%d": two(p[2]), "%-m": String(p[1]), "%m": two(p[1]), "%Y": String(p[0]), "%B": months[p[1] - 1] || String(p[1]) };
      return (box.dataset.day || "%Y-%m-%d").replace(/%-?[dmYB]/g, function (k) { return parts[k] || k; });
    }

    function showAction(a) {
      var list = document.getElementById("action-list");
      if (!list) return;
      var box = document.getElementById("room-outcomes");
      var li = document.getElementById("action-" + a.id);
      if (a.withdrawn) { if (li) li.remove(); return; }
      if (!li) { li = el("li"); li.id = "action-" + a.id; list.appendChild(li); }
      li.textContent = "";
      li.appendChild(el("span", "badge", say(box, "status-" + a.status)));
      li.appendChild(txt(" "));
      li.appendChild(el("span", "what", a.what));
      var who = [a.owner, a.organisation].filter(function (x) { return x; }).join(", ");
      if (who) li.appendChild(txt(" – " + who));
      if (a.due) {
        li.appendChild(txt(" – " + say(box, "due", { date: day(box, a.due) })));
      }
    }

    // Proposals put to the salon (#room-proposals): the same markup as web/room/proposals.rs.
    var proposalBox = document.getElementById("room-proposals");

    function proposalResults(p) {
      var wrap = document.createDocumentFragment();
      var table = el("table", "results");
      table.appendChild(el("caption", "", say(proposalBox, "caption")));
      var body = el("tbody");
      ["agree", "abstain", "disagree", "block"].forEach(function (c) {
        var tr = el("tr");
        var th = el("th", "", say(proposalBox, "choice-" + c));
        th.scope = "row";
        var td = el("td", "", String((p.tally || {})[c] || 0));
        td.dataset.choice = c;
        tr.appendChild(th);
        tr.appendChild(td);
        body.appendChild(tr);
      });
      table.appendChild(body);
      wrap.appendChild(table);
      var ul = el("ul", "stances");
      (p.stance_list || []).forEach(function (s) {
        var li = el("li");
        li.dataset.choice = s.choice;
        li.appendChild(el("strong", "", s.name));
        if (s.organisation) li.appendChild(txt(" (" + s.organisation + ")"));
        li.appendChild(txt(": "));
        li.appendChild(el("span", "badge", say(proposalBox, "choice-" + s.choice)));
        if (s.reason) {
          li.appendChild(txt(" "));
          li.appendChild(el("span", "reason", s.reason));
        }
        ul.appendChild(li);
      });
      wrap.appendChild(ul);
      if (p.stances_left_out > 0) {
        var more = el("p", "more");
        var a = el("a", "", sayN(proposalBox, "more", p.stances_left_out));
        a.href = "/proposals/" + p.id;
        more.appendChild(a);
        wrap.appendChild(more);
      }
      return wrap;
    }

    function stanceForm(p) {
      var id = p.id;
      var f = el("form", "stacked stance");
      f.method = "post";
      f.action = "/proposals/" + id + "/stance";
      f.setAttribute("data-live", "");
      f.dataset.done = say(proposalBox, "saved");
      [["csrf", proposalBox.dataset.csrf], ["room", proposalBox.dataset.room]].forEach(function (pair) {
        var h = el("input");
        h.type = "hidden";
        h.name = pair[0];
        h.value = pair[1];
        f.appendChild(h);
      });
      var fs = el("fieldset");
      fs.appendChild(el("legend", "", say(proposalBox, "legend")));
      ["agree", "abstain", "disagree", "block"].forEach(function (c) {
        var row = el("div", "choice");
        var input = el("input");
        input.type = "radio";
        input.name = "choice";
        input.value = c;
        input.required = true;
        input.id = "p" + id + "-choice-" + c;
        var label = el("label", "", say(proposalBox, "choice-" + c));
        label.htmlFor = input.id;
        row.appendChild(input);
        row.appendChild(label);
        fs.appendChild(row);
      });
      f.appendChild(fs);
      var field = el("div", "field");
      var label = el("label", "", say(proposalBox, "reason"));
      label.htmlFor = "p" + id + "-reason";
      var hint = el("p", "hint", say(proposalBox, "hint"));
      hint.id = "p" + id + "-reason-hint";
      var area = el("textarea");
      area.id = "p" + id + "-reason";
      area.name = "reason";
      area.rows = 2;
      area.setAttribute("aria-describedby", hint.id);
      field.appendChild(label);
      field.appendChild(hint);
      field.appendChild(area);
      f.appendChild(field);
      var div = el("div");
      var button = el("button", "", say(proposalBox, "submit"));
      button.type = "submit";
      div.appendChild(button);
      f.appendChild(div);
      return f;
    }

    function showProposal(p) {
      if (!proposalBox) return;
      proposalBox.hidden = false;
      var art = document.getElementById("proposal-" + p.id);
      var before = art ? art.dataset.state : null;
      if (!art) {
        art = el("article", "proposal");
        art.id = "proposal-" + p.id;
        art.dataset.proposal = p.id;
        art.setAttribute("aria-labelledby", "proposal-" + p.id + "-title");
        var h = el("h3");
        h.id = "proposal-" + p.id + "-title";
        var a = el("a", "", p.title);
        a.href = "/proposals/" + p.id;
        h.appendChild(a);
        h.appendChild(txt(" "));
        h.appendChild(el("span", "badge state"));
        art.appendChild(h);
        art.appendChild(el("p", "count muted"));
        art.appendChild(el("div", "proposal-results"));
        if (p.state === "open") art.appendChild(stanceForm(p));
        art.appendChild(el("div", "proposal-outcome"));
        proposalBox.appendChild(art);
      }
      art.dataset.state = p.state;
      art.querySelector(".badge.state").textContent = say(proposalBox, "state-" + p.state);
      art.querySelector(".count").textContent = sayN(proposalBox, "stances", p.stances);
      var results = art.querySelector(".proposal-results");
      results.textContent = "";
      if (p.tally) results.appendChild(proposalResults(p));
      else results.appendChild(el("p", "muted", say(proposalBox, "hidden")));
      if (p.state !== "open") {
        var form = art.querySelector("form.stance");
        if (form) form.remove();
      }
      var outcome = art.querySelector(".proposal-outcome");
      outcome.textContent = "";
      if (p.state === "closed" && p.outcome) {
        outcome.appendChild(el("h4", "", say(proposalBox, "outcome")));
        outcome.appendChild(el("p", "", p.outcome));
      }
      // Said once: when it is put to the salon, and when it is decided.
      if (!before && p.state === "open") {
        news(say(proposalBox, "new", { title: p.title }), "#proposal-" + p.id, say(proposalBox, "take"));
      } else if (before && before !== "closed" && p.state === "closed") {
        news(say(proposalBox, "closed-news", { title: p.title }), "#proposal-" + p.id, say(proposalBox, "outcome"));
      }
    }

    // Polls put to the salon (#room-polls): the same markup as web/room/polls.rs and the poll
    // page's results and answer fields (web/polls/view.rs).
    var pollBox = document.getElementById("room-polls");

    function pollResults(p) {
      var wrap = document.createDocumentFragment();
      if (!p.results) {
        wrap.appendChild(el("p", "muted", say(pollBox, "hidden")));
        return wrap;
      }
      wrap.appendChild(el("p", "hint", say(pollBox, "counted-" + p.kind)));
      var table = el("table", "results poll-results");
      table.appendChild(el("caption", "", say(pollBox, "caption")));
      var head = el("thead");
      var tr = el("tr");
      ["place", "option", "total-" + p.kind].forEach(function (name) {
        var th = el("th", "", say(pollBox, name));
        th.scope = "col";
        tr.appendChild(th);
      });
      head.appendChild(tr);
      table.appendChild(head);
      var body = el("tbody");
      p.results.forEach(function (r) {
        var row = el("tr");
        row.dataset.option = r.option;
        row.appendChild(el("td", "", String(r.place)));
        var option = p.options.filter(function (o) { return o.id === r.option; })[0];
        var th = el("th", "", option ? option.label : "");
        th.scope = "row";
        row.appendChild(th);
        var td = el("td", "", String(r.total));
        td.dataset.total = r.total;
        row.appendChild(td);
        body.appendChild(row);
      });
      table.appendChild(body);
      wrap.appendChild(table);
      return wrap;
    }

    function pollForm(p) {
      var f = el("form", "stacked poll-answer");
      f.method = "post";
      f.action = "/polls/" + p.id + "/answer";
      f.noValidate = true;
      f.setAttribute("data-live", "");
      f.dataset.done = say(pollBox, "saved");
      [["csrf", pollBox.dataset.csrf], ["room", pollBox.dataset.room]].forEach(function (pair) {
        var h = el("input");
        h.type = "hidden";
        h.name = pair[0];
        h.value = pair[1];
        f.appendChild(h);
      });
      var fs = el("fieldset", "answer-options");
      fs.id = "answer-options-" + p.id;
      fs.appendChild(el("legend", "", say(pollBox, "legend-" + p.kind, { max: p.max_score })));
      p.options.forEach(function (o) {
        var id = "o" + o.id;
        var label = el("label", "", o.label);
        label.htmlFor = id;
        var row, input;
        if (p.kind === "single" || p.kind === "multiple") {
          row = el("div", "choice");
          input = el("input");
          input.type = p.kind === "single" ? "radio" : "checkbox";
          input.name = p.kind === "single" ? "option" : "option-" + o.id;
          input.value = p.kind === "single" ? String(o.id) : "1";
          input.id = id;
          row.appendChild(input);
          row.appendChild(label);
        } else {
          row = el("div", "field field-inline");
          row.appendChild(label);
          if (p.kind === "ranked") {
            input = el("select");
            input.appendChild(el("option", "", say(pollBox, "unranked"))).value = "";
            for (var r = 1; r <= p.options.length; r++) input.appendChild(el("option", "", String(r))).value = String(r);
          } else {
            input = el("input");
            input.type = "number";
            input.min = "0";
            input.max = String(p.max_score);
            input.value = "0";
          }
          input.name = "option-" + o.id;
          input.id = id;
          row.appendChild(input);
        }
        fs.appendChild(row);
      });
      f.appendChild(fs);
      var div = el("div");
      var button = el("button", "", say(pollBox, "submit"));
      button.type = "submit";
      div.appendChild(button);
      f.appendChild(div);
      return f;
    }

    function showPoll(p) {
      if (!pollBox) return;
      pollBox.hidden = false;
      var art = document.getElementById("poll-" + p.id);
      var before = art ? art.dataset.state : null;
      if (!art) {
        art = el("article", "poll");
        art.id = "poll-" + p.id;
        art.dataset.poll = p.id;
        art.setAttribute("aria-labelledby", "poll-" + p.id + "-title");
        var h = el("h3");
        h.id = "poll-" + p.id + "-title";
        var a = el("a", "", p.question);
        a.href = "/polls/" + p.id;
        h.appendChild(a);
        h.appendChild(txt(" "));
        h.appendChild(el("span", "badge state"));
        art.appendChild(h);
        art.appendChild(el("p", "count muted"));
        art.appendChild(el("div", "poll-results"));
        // The answer's fields are built once: a later frame must not undo what someone is
        // filling in.
        if (p.state === "open") art.appendChild(pollForm(p));
        art.appendChild(el("div", "poll-outcome"));
        pollBox.appendChild(art);
      }
      art.dataset.state = p.state;
      art.querySelector(".badge.state").textContent = say(pollBox, "state-" + p.state);
      art.querySelector(".count").textContent = sayN(pollBox, "voters", p.voters);
      var results = art.querySelector(".poll-results");
      results.textContent = "";
      results.appendChild(pollResults(p));
      if (p.state !== "open") {
        var form = art.querySelector("form.poll-answer");
        if (form) form.remove();
      }
      var outcome = art.querySelector(".poll-outcome");
      outcome.textContent = "";
      if (p.state === "closed" && p.outcome) {
        outcome.appendChild(el("h4", "", say(pollBox, "outcome")));
        outcome.appendChild(el("p", "", p.outcome));
      }
      if (!before && p.state === "open") {
        news(say(pollBox, "new", { title: p.question }), "#poll-" + p.id, say(pollBox, "answer"));
      } else if (before && before !== "closed" && p.state === "closed") {
        news(say(pollBox, "closed-news", { title: p.question }), "#poll-" + p.id, say(pollBox, "results"));
      }
    }

    return {
      round: showRound,
      accepted: function (roundId, points) {
        document.querySelectorAll("#round-" + roundId + " input[data-option]").forEach(function (input) {
          input.value = String(points[input.dataset.option] || 0);
        });
        status(roundId, say(rounds, "saved"));
      },
      refused: function (roundId, message) { status(roundId, message); },
      theme: showTheme,
      proposal: showProposal,
      poll: showPoll,
      decision: showDecision,
      action: showAction
    };
  })();

  // Votes go over the socket; the room's other forms marked data-live (moderation, recording a
  // decision, running the meeting) are posted in the background: what they change comes back
  // to everyone as frames. Without a socket every form posts as a plain form.
  document.addEventListener("submit", function (event) {
    var f = event.target;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (f.classList.contains("vote")) {
      var li = f.closest("li[data-id]");
      if (!li) return;
      event.preventDefault();
      socket.send(JSON.stringify({ type: "vote", id: parseInt(li.dataset.id, 10) }));
      var button = f.querySelector("button");
      if (button) button.setAttribute("aria-pressed", "true");
      return;
    }
    if (!f.hasAttribute("data-live") || !window.fetch) return;
    event.preventDefault();
    var data = new URLSearchParams(new FormData(f));
    fetch(f.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.ok) {
          var details = f.closest("details");
          if (details) details.open = false;
          if (f.dataset.done) news(f.dataset.done);
          return;
        }
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var why = page.querySelector(".error-summary, main p");
          news(why ? why.textContent.trim() : label("failed"));
        });
      })
      .catch(function () { news(label("failed")); });
  });

  if (form) {
    form.addEventListener("submit", function (event) {
      var body = form.querySelector("textarea[name=body]");
      var question = form.querySelector("input[name=question]");
      if (!socket || socket.readyState !== WebSocket.OPEN || !body.value.trim()) return; // plain form post
      event.preventDefault();
      var clientId = uuid();
      var li = document.createElement("li");
      li.className = "message mine";
      var text = document.createElement("p");
      text.className = "body";
      linkify(text, body.value);
      var state = document.createElement("p");
      state.className = "state muted";
      li.appendChild(text);
      li.appendChild(state);
      log.appendChild(li);
      toEnd();
      var entry = { li: li, state: state, frame: { type: "send", body: body.value, client_id: clientId, question: !!(question && question.checked) } };
      pending.set(clientId, entry);
      send(entry);
      body.value = "";
      if (question) question.checked = false;
      body.focus();
    });
  }
  connect();
})();
