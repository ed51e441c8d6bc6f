// Salon's live room: progressive enhancement of the server-rendered room page.
// Without this script the page works with plain forms; with it, messages arrive live, posts go
// over the websocket with "sending / sent / failed" state, and a dropped connection reconnects
// with ?after=<last id> and back-off, so no message is missed or shown twice.
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

  // The time as the server writes it: in the salon's zone, "09.05" in Danish, "09:05" otherwise.
  function clock(at) {
    var parts = {};
    try {
      new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.tz })
        .formatToParts(new Date(at)).forEach(function (p) { parts[p.type] = p.value; });
    } catch (e) {
      var d = new Date(at);
      parts = { hour: ("0" + d.getHours()).slice(-2), minute: ("0" + d.getMinutes()).slice(-2) };
    }
    return parts.hour + (document.documentElement.lang === "da" ? "." : ":") + parts.minute;
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
    who.textContent = msg.author.name;
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
      } else if (frame.type === "error") setStatus(frame.message);
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
