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

  function render(li, msg) {
    li.textContent = "";
    li.id = "m" + msg.id;
    li.dataset.id = msg.id;
    li.dataset.clientId = msg.client_id;
    li.className = "message" + (msg.hidden ? " hidden" : "");
    var meta = document.createElement("p");
    meta.className = "meta";
    var who = document.createElement("strong");
    // A deleted account's messages stay, without a name (the server sends it empty).
    who.textContent = msg.author.name || root.dataset.former || "";
    meta.appendChild(who);
    if (msg.author.org) meta.appendChild(document.createTextNode(" · " + msg.author.org));
    var time = document.createElement("time");
    time.dateTime = msg.at;
    time.textContent = clock(msg.at);
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(time);
    if (msg.question) {
      var q = document.createElement("span");
      q.className = "badge";
      q.textContent = label("question");
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(q);
    }
    var body = document.createElement("p");
    body.className = "body";
    msg.body.split("\n").forEach(function (line, i) {
      if (i > 0) body.appendChild(document.createElement("br"));
      linkify(body, line);
    });
    li.appendChild(meta);
    li.appendChild(body);
  }

  function onMessage(msg) {
    var empty = document.getElementById("no-messages");
    if (empty) empty.remove();
    var p = pending.get(msg.client_id);
    if (p) {
      clearTimeout(p.timer);
      pending.delete(msg.client_id);
      render(p.li, msg);
      p.li.classList.remove("sending");
    } else if (!document.getElementById("m" + msg.id)) {
      var li = document.createElement("li");
      render(li, msg);
      log.appendChild(li);
    }
    if (msg.id > last) last = msg.id;
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
      else if (frame.type === "hide") {
        var li = document.getElementById("m" + frame.id);
        if (li && organiser) li.classList.add("hidden");
        else if (li) li.remove();
      } else if (frame.type === "votes") {
        var q = document.querySelector('#questions li[data-id="' + frame.id + '"] .votes');
        if (q) q.textContent = q.textContent.replace(/\d+/, String(frame.votes));
      } else if (frame.type === "round_opened" || frame.type === "round_results" || frame.type === "round_closed") {
        strategy.round(frame.round);
      } else if (frame.type === "ballot_accepted") strategy.accepted(frame.round, frame.points);
      else if (frame.type === "theme") strategy.theme(frame.theme);
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
      more.textContent = label("more").replace("{n}", String(count - people.length));
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
      wrap.appendChild(el("p", "voters", say(rounds, "voters", { n: round.voters })));
      return wrap;
    }

    function showRound(round) {
      if (!rounds) return;
      var art = article(round);
      var form = art.querySelector("form.ballot");
      if (round.state === "open" && !form) art.insertBefore(ballot(round), art.children[1] || null);
      if (round.state === "closed" && form) form.remove();
      var shown = round.voters !== undefined;
      if (shown) {
        art.querySelectorAll(".round-results, .round > p.voters").forEach(function (old) { old.remove(); });
        art.appendChild(results(round));
      }
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
      li.appendChild(el("span", "support", say(box, "supporters", { n: t.support })));
      li.appendChild(txt(" · "));
      li.appendChild(el("span", "state", say(box, "state-" + t.state)));
    }

    function showDecision(d) {
      var list = document.getElementById("decision-list");
      if (!list) return;
      var li = document.getElementById("decision-" + d.id);
      if (!li) { li = el("li"); li.id = "decision-" + d.id; list.appendChild(li); }
      li.textContent = d.body;
    }

    function showAction(a) {
      var list = document.getElementById("action-list");
      if (!list) return;
      var box = document.getElementById("room-outcomes");
      var li = document.getElementById("action-" + a.id);
      if (!li) { li = el("li"); li.id = "action-" + a.id; list.appendChild(li); }
      li.textContent = "";
      li.appendChild(el("span", "badge", say(box, "status-" + a.status)));
      li.appendChild(txt(" "));
      li.appendChild(el("span", "what", a.what));
      var who = [a.owner, a.organisation].filter(function (x) { return x; }).join(", ");
      if (who) li.appendChild(txt(" – " + who));
      if (a.due) {
        var d = a.due.split("-");
        li.appendChild(txt(" – " + say(box, "due", { date: d[2] + "." + d[1] + "." + d[0] })));
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
      decision: showDecision,
      action: showAction
    };
  })();

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
