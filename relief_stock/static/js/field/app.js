/* The keeper's field app: works from the depot data kept on the phone, keeps every operation in a
   queue on the phone (each with its own Idempotency-Key) and sends the queue, in order, through the
   JSON API whenever the network is there. The server applies each operation once (a resend gets the
   first answer back); what it refuses stays here with its reason until changed or discarded. */
(function () {
  "use strict";
  var root = document.getElementById("field");
  if (!root) return;
  var T = JSON.parse(document.getElementById("field-text").textContent);
  var DEPOT = root.dataset.depot, API = root.dataset.api, CSRF = root.dataset.csrf;
  // Operations are sent only under the session of the keeper who did them: on a shared phone,
  // another keeper's sign-in leaves them waiting for their author.
  var USER = root.dataset.user, sessionUser = USER;
  var MAX_AGE_MS = Number(root.dataset.maxAgeHours) * 3600 * 1000;
  var STALE_SENSITIVE = { issue: 1, move: 1, count: 1, pick: 1 };
  var KEEP_DONE = 20;
  var snapshot = null, queue = [], syncing = false, signInNeeded = false, current = null;

  function $(id) { return document.getElementById(id); }
  function fmt(text, values) { return text.replace(/%\((\w+)\)[sd]/g, function (_m, k) { return values[k]; }); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k]; else if (k === "className") node.className = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return "field-" + crypto.randomUUID();
    return "field-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function say(text, kind) {
    var box = $("field-message");
    box.textContent = text; box.className = "flash " + (kind || "success"); box.hidden = !text;
  }

  // --- depot data -------------------------------------------------------------------------------
  function ageMs() { return snapshot ? Date.now() - Date.parse(snapshot.generated_at) : Infinity; }
  function isStale() { return ageMs() > MAX_AGE_MS; }
  function item(sku) { return (snapshot.items.filter(function (i) { return i.sku === sku; })[0]) || { sku: sku, name: sku, unit: "" }; }
  function batch(code) { return snapshot.batches.filter(function (b) { return b.code === code; })[0]; }

  function refreshData() {
    return fetch(API + "/field/depots/" + DEPOT, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) { signInNeeded = true; throw new Error("401"); }
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (data) {
        data.depot_code = DEPOT;
        snapshot = data;
        return FieldStore.snapshotPut({ depot: DEPOT, data: data });
      }).then(render, function () { render(); });
  }

  function pendingFor(code) {
    return queue.filter(function (op) { return op.state !== "done" && op.batch === code; });
  }
  function quantityNow(b) {  // what the batch holds once the waiting issues are applied
    return pendingFor(b.code).reduce(function (left, op) {
      return op.kind === "issue" && op.state === "pending" ? left - op.body.quantity : left;
    }, b.quantity);
  }

  // --- the queue ---------------------------------------------------------------------------------
  function enqueue(kind, url, body, label, batchCode) {
    var op = {
      key: newKey(), kind: kind, url: url, body: body, label: label, batch: batchCode || null, user: USER,
      prepared_at: snapshot ? snapshot.generated_at : new Date().toISOString(),
      created_at: new Date().toISOString(), state: "pending"
    };
    return FieldStore.queueAdd(op).then(loadQueue).then(function () {
      say(T.queued, "success");
      return sync();
    });
  }

  function loadQueue() {
    return FieldStore.queueAll().then(function (ops) {
      queue = ops;
      var done = ops.filter(function (op) { return op.state === "done"; });
      var prune = done.slice(0, Math.max(0, done.length - KEEP_DONE));
      return Promise.all(prune.map(function (op) { return FieldStore.queueDelete(op.id); })).then(function () {
        if (prune.length) queue = ops.filter(function (op) { return prune.indexOf(op) < 0; });
        render();
      });
    });
  }

  function messageOf(status, body) {
    if (!body) return "HTTP " + status;
    var parts = [body.message || ("HTTP " + status)];
    Object.keys(body.errors || {}).forEach(function (field) {
      var value = body.errors[field];
      var flat = JSON.stringify(value).replace(/[\[\]{}"]/g, " ").replace(/\s+/g, " ").trim();
      if (flat && parts[0].indexOf(flat) < 0) parts.push(flat);
    });
    return parts.join(" · ");
  }

  function send(op) {
    return fetch(op.url, {
      method: "POST", credentials: "same-origin",
      headers: {
        "Content-Type": "application/json", Accept: "application/json",
        "Idempotency-Key": op.key, "X-CSRFToken": CSRF, "X-Prepared-At": op.prepared_at
      },
      body: JSON.stringify(op.body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        return { status: response.status, body: body };
      });
    });
  }

  function mine(op) { return (op.user || USER) === sessionUser; }

  // The page may be an old copy from the phone's cache: take the session's user and form token from a
  // fresh copy of the shell before sending (the cached token may belong to an earlier sign-in).
  function freshSession() {
    return fetch(root.dataset.scope, { credentials: "same-origin", headers: { Accept: "text/html" } }).then(function (response) {
      if (response.redirected || response.status === 401) { signInNeeded = true; throw new Error("sign-in"); }
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (html) {
      var token = html.match(/data-csrf="([^"]+)"/), user = html.match(/data-user="([^"]+)"/);
      if (token) CSRF = token[1];
      if (user) sessionUser = user[1];
      signInNeeded = false;
    });
  }

  // Send what waits, oldest first. A network failure or a server fault stops the round (the rest
  // waits for the next); a refusal is kept with its reason and the round goes on with the next one.
  function sync() {
    if (syncing) return Promise.resolve();
    syncing = true; render();
    var applied = 0;
    function next() {
      var op = queue.filter(function (o) { return o.state === "pending" && mine(o); })[0];
      if (!op) return Promise.resolve();
      return send(op).then(function (answer) {
        if (answer.status === 401) { signInNeeded = true; return; }
        signInNeeded = false;
        if (answer.status >= 500 || answer.status === 429) return;
        op.status_code = answer.status;
        op.sent_at = new Date().toISOString();
        if (answer.status < 300) { op.state = "done"; op.result = answer.body; applied += 1; }
        else { op.state = "refused"; op.message = messageOf(answer.status, answer.body); }
        return FieldStore.queuePut(op).then(next);
      }, function () { /* no network: keep waiting */ });
    }
    var waiting = queue.some(function (o) { return o.state === "pending"; });
    return (waiting ? freshSession().then(next) : Promise.resolve()).then(function () {
      syncing = false;
      return applied ? refreshData() : render();
    }, function () { syncing = false; render(); });
  }

  function retry(op, edits) {
    Object.keys(edits).forEach(function (k) { op.body[k] = edits[k]; });
    op.key = newKey();  // a changed request is a new request
    op.prepared_at = snapshot ? snapshot.generated_at : op.prepared_at;
    op.state = "pending"; op.message = null;
    return FieldStore.queuePut(op).then(loadQueue).then(sync);
  }

  // --- rendering --------------------------------------------------------------------------------
  function ageText() {
    if (!snapshot) return T.no_data;
    var minutes = Math.floor(ageMs() / 60000);
    var age = minutes < 1 ? T.just_now : minutes < 120 ? fmt(T.minutes, { n: minutes }) : fmt(T.hours, { n: Math.floor(minutes / 60) });
    return fmt(T.data_age, { age: age });
  }

  function render() {
    var online = navigator.onLine;
    $("net-state").textContent = syncing ? T.sending : online ? T.online : T.offline;
    $("net-state").className = "badge " + (online ? "ok" : "bad");
    var waiting = queue.filter(function (op) { return op.state === "pending"; }).length;
    $("pending-count").textContent = waiting;
    $("pending").hidden = waiting === 0;
    $("data-age").textContent = ageText();
    if (signInNeeded && waiting) say(T.sign_in, "error");
    renderQueue();
    renderOrders();
    fillChoices();
    if (current) show(current.kind, current.code);
  }

  function opLine(op) {
    var li = el("li", { className: "op op-" + op.state, "data-key": op.key }, [
      el("span", { className: "badge", text: op.state === "done" ? T.applied : op.state === "refused" ? T.refused : T.pending }),
      el("span", { text: " " + op.label + ((op.user || USER) !== USER ? " · " + (op.user || "") : "") })
    ]);
    if (op.state === "refused") {
      li.appendChild(el("p", { className: "field-error", text: op.message || "" }));
      var editable = ["quantity", "qty", "counted", "location"].filter(function (k) { return k in op.body; });
      var form = el("form", { className: "retry-form" });
      editable.forEach(function (k) {
        var input = el("input", { name: k, value: op.body[k] == null ? "" : op.body[k], autocomplete: "off" });
        if (k !== "location") { input.type = "number"; input.inputMode = "numeric"; }
        form.appendChild(el("label", { className: "field", text: T[k] || k }, [input]));
      });
      form.appendChild(el("button", { type: "submit", className: "primary", text: T.retry }));
      var discard = el("button", { type: "button", className: "bad", text: T.discard });
      form.appendChild(discard);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var edits = {};
        editable.forEach(function (k) {
          var raw = form.elements[k].value.trim();
          edits[k] = k === "location" ? raw : raw === "" ? null : parseInt(raw, 10);
        });
        retry(op, edits);
      });
      discard.addEventListener("click", function () {
        if (window.confirm(T.confirm_discard)) FieldStore.queueDelete(op.id).then(loadQueue);
      });
      li.appendChild(form);
    }
    return li;
  }

  var queueDrawn = null;  // redrawn only when the queue changes, so a correction being typed stays
  function renderQueue() {
    var list = $("queue"), refused = $("refused");
    var signature = JSON.stringify(queue.map(function (op) { return [op.id, op.key, op.state, op.message]; }));
    if (signature === queueDrawn) return;
    queueDrawn = signature;
    list.textContent = ""; refused.textContent = "";
    queue.slice().reverse().forEach(function (op) {
      (op.state === "refused" ? refused : list).appendChild(opLine(op));
    });
    $("refused-card").hidden = !refused.children.length;
  }

  function fillSelect(select, options, keep) {
    var value = select.value;
    select.textContent = "";
    if (keep) select.appendChild(el("option", { value: "", text: "—" }));
    options.forEach(function (o) { select.appendChild(el("option", { value: o[0], text: o[1] })); });
    if (value) select.value = value;
  }

  function fillChoices() {
    if (!snapshot) return;
    var locs = snapshot.locations.map(function (l) { return [l.code, l.code + (l.name ? " · " + l.name : "")]; });
    fillSelect(document.querySelector("#move-form [name=location]"), locs, false);
    fillSelect(document.querySelector("#receive-form [name=location]"), locs, true);
    fillSelect(document.querySelector("#receive-form [name=item]"), snapshot.items.map(function (i) { return [i.sku, i.name + " (" + i.unit + ")"]; }), false);
    fillSelect(document.querySelector("#count-form [name=stocktake]"), snapshot.stocktakes.map(function (s) { return [String(s.id), "#" + s.id + (s.location ? " · " + s.location : "")]; }), false);
  }

  function allPicks(t) {
    return t.lines.reduce(function (all, line) { return all.concat(line.picks); }, []);
  }

  var ordersDrawnFor = null;  // redrawn only for new data, so a half-typed pick is not wiped
  function renderOrders() {
    var box = $("orders");
    if (!snapshot || !snapshot.transfers.length || ordersDrawnFor === snapshot.generated_at) return;
    ordersDrawnFor = snapshot.generated_at;
    box.textContent = "";
    snapshot.transfers.forEach(function (t) {
      var card = el("div", { className: "order", "data-number": t.number }, [
        el("h3", { text: t.number + " · " + (t.direction === "out" ? T.to : T.from) + " " + (t.other || "") + " · " + t.status_label })
      ]);
      t.lines.forEach(function (line) {
        card.appendChild(el("p", { text: item(line.item).name + ": " + fmt(T.need, { n: line.quantity, p: line.picked }) }));
      });
      if (t.direction === "out") {
        var form = el("form", { className: "pick-form", autocomplete: "off" }, [
          el("input", { name: "batch", className: "scan-box", placeholder: T.pick_scan, autocapitalize: "characters" }),
          el("input", { name: "quantity", type: "number", inputmode: "numeric", min: "1", placeholder: "#", autocomplete: "off" }),
          el("button", { type: "submit", className: "primary", text: T.pick_button })
        ]);
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          if (isStale()) { say(fmt(T.stale, { n: MAX_AGE_MS / 3600000 }), "error"); return; }
          var code = normalise(form.elements.batch.value);
          var qty = form.elements.quantity.value.trim();
          var body = { code: code, qty: qty ? parseInt(qty, 10) : null };
          enqueue("pick", API + "/transfers/" + encodeURIComponent(t.number) + "/pick", body,
            T.pick + " " + code + (qty ? " × " + qty : "") + " → " + t.number, code);
          form.reset();
        });
        card.appendChild(form);
      } else {
        // Per shipped batch: what arrived and what is damaged (the rest is short); a reason if any.
        var receipt = el("form", { className: "receive-transfer-form", autocomplete: "off" });
        t.lines.forEach(function (line) {
          line.picks.forEach(function (p) {
            var good = el("input", { name: "received-" + p.id, type: "number", inputmode: "numeric", min: "0", value: p.quantity, autocomplete: "off" });
            var damaged = el("input", { name: "damaged-" + p.id, type: "number", inputmode: "numeric", min: "0", value: "0", autocomplete: "off" });
            damaged.addEventListener("input", function () {  // damaged units are not also good ones
              good.value = Math.max(0, p.quantity - (parseInt(damaged.value, 10) || 0));
            });
            receipt.appendChild(el("fieldset", { "data-pick": p.id }, [
              el("legend", { className: "code", text: p.batch + " · " + item(line.item).name + " × " + p.quantity }),
              el("label", { className: "field", text: T.received }, [good]),
              el("label", { className: "field", text: T.damaged }, [damaged])
            ]));
          });
        });
        receipt.appendChild(el("label", { className: "field", text: T.short_reason }, [el("input", { name: "reason", autocomplete: "off" })]));
        receipt.appendChild(el("button", { type: "submit", className: "primary", text: T.receive_button }));
        receipt.addEventListener("submit", function (event) {
          event.preventDefault();
          var picks = [];
          t.lines.forEach(function (line) {
            line.picks.forEach(function (p) {
              picks.push({ pick: p.id, received: parseInt(receipt.elements["received-" + p.id].value || "0", 10),
                           damaged: parseInt(receipt.elements["damaged-" + p.id].value || "0", 10) });
            });
          });
          var complete = picks.every(function (row, i) { return row.damaged === 0 && row.received === allPicks(t)[i].quantity; });
          enqueue("receive_transfer", API + "/transfers/" + encodeURIComponent(t.number) + "/receive",
            { outcomes: picks, reason: receipt.elements.reason.value.trim() || null },
            T.receive_transfer + " " + t.number + (complete ? "" : " (" + T.not_complete + ")"), null);
        });
        card.appendChild(receipt);
      }
      box.appendChild(card);
    });
  }

  // --- scanning ---------------------------------------------------------------------------------
  function normalise(raw) {
    var text = String(raw || "").trim();
    if (text.indexOf("/") >= 0) text = text.split("?")[0].split("/").filter(Boolean).pop() || "";
    return text.replace(/\s+/g, "").toUpperCase();
  }

  function resolve(raw) {
    var code = normalise(raw);
    if (!code) return;
    if (!snapshot) { say(T.no_data, "error"); return; }
    var kind = code.charAt(0);
    if (kind === "B") {
      if (!batch(code)) { say(fmt(T.not_here, { code: code }), "error"); return; }
      show("batch", code);
    } else if (kind === "L") {
      var prefix = "L-" + DEPOT + "-";
      if (code.indexOf(prefix) !== 0) { say(fmt(T.not_here, { code: code }), "error"); return; }
      show("location", code.slice(prefix.length, code.length - 2));
    } else if (kind === "T") {
      var order = document.querySelector(".order[data-number='" + code.replace(/'/g, "") + "']");
      if (!order) { say(fmt(T.not_here, { code: code }), "error"); return; }
      order.scrollIntoView({ block: "start" });
      var box = order.querySelector("input[name=batch]");
      if (box) box.focus();
    } else {
      say(fmt(T.unknown_code, { code: code }), "error");
    }
  }

  function show(kind, code) {
    current = { kind: kind, code: code };
    $("batch-card").hidden = kind !== "batch";
    $("location-card").hidden = kind !== "location";
    if (kind === "batch") {
      var b = batch(code);
      if (!b) { $("batch-card").hidden = true; return; }
      var it = item(b.item);
      $("batch-title").textContent = it.name + " · " + b.code;
      // A blind count covering this batch is open: the counter is not shown the book quantity.
      var blind = snapshot.stocktakes.some(function (s) { return s.is_blind && (!s.location || s.location === b.location); });
      $("batch-facts").textContent = [blind ? T.blind : quantityNow(b) + " " + it.unit, b.status_label, b.expiry_date || "", b.location || ""].filter(Boolean).join(" · ");
      var waiting = pendingFor(code);
      $("batch-pending").textContent = waiting.map(function (op) { return op.label; }).join(" · ");
      $("batch-card").dataset.code = code;
    } else {
      $("location-title").textContent = fmt(T.at_location, { code: code });
      var list = $("location-batches");
      list.textContent = "";
      var here = snapshot.batches.filter(function (b) { return b.location === code; });
      if (!here.length) list.appendChild(el("li", { className: "muted", text: T.empty_location }));
      here.forEach(function (b) {
        var link = el("a", { href: "#", className: "code", text: b.code });
        link.addEventListener("click", function (event) { event.preventDefault(); show("batch", b.code); });
        list.appendChild(el("li", {}, [link, el("span", { text: " " + item(b.item).name + " · " + quantityNow(b) + " " + item(b.item).unit })]));
      });
    }
  }

  // --- forms --------------------------------------------------------------------------------------
  function wireForms() {
    $("field-scan").addEventListener("submit", function (event) {
      event.preventDefault();
      resolve($("field-code").value);
      $("field-code").select();
    });
    document.querySelectorAll("#batch-actions button").forEach(function (button) {
      button.addEventListener("click", function () {
        document.querySelectorAll("#batch-card .op-form").forEach(function (f) { f.hidden = f.id !== button.dataset.form; });
        var first = $(button.dataset.form).querySelector("input, select");
        if (first) first.focus();
      });
    });
    document.querySelectorAll("#batch-card .op-form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var code = $("batch-card").dataset.code, b = batch(code), op = form.dataset.op;
        if (STALE_SENSITIVE[op] && isStale()) { say(fmt(T.stale, { n: MAX_AGE_MS / 3600000 }), "error"); return; }
        var data = new FormData(form), unit = item(b.item).unit;
        var quantity = data.get("quantity") ? parseInt(data.get("quantity"), 10) : null;
        if (op === "issue") {
          if (quantity > quantityNow(b)) { say(fmt(T.too_much, { n: quantityNow(b) }), "error"); return; }
          enqueue("issue", API + "/batches/" + code + "/issue", { quantity: quantity, reason: data.get("reason") || null },
            T.issue + " " + quantity + " " + unit + " · " + code, code);
        } else if (op === "move") {
          var to = data.get("location");
          enqueue("move", API + "/batches/" + code + "/move", { location: to, quantity: quantity },
            T.move + " " + code + " → " + to + " (" + (quantity ? quantity + " " + unit : T.whole) + ")", code);
        } else {
          if (!snapshot.stocktakes.length) { say(T.no_count, "error"); return; }
          var counted = parseInt(data.get("counted"), 10);
          enqueue("count", API + "/stocktakes/" + data.get("stocktake") + "/counts", { batch: code, counted: counted },
            T.count + " " + code + " = " + counted + " " + unit, code);
        }
        form.reset();
        form.hidden = true;
      });
    });
    $("receive-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(event.target), it = item(data.get("item"));
      var line = { item: it.sku, quantity: parseInt(data.get("quantity"), 10) };
      if (data.get("expiry_date")) line.expiry_date = data.get("expiry_date");
      if (data.get("location")) line.location = data.get("location");
      enqueue("receive", API + "/receipts", {
        depot: DEPOT, source_kind: data.get("source_kind"), supplier: data.get("supplier") || null, lines: [line]
      }, T.receive + " " + it.name + " " + line.quantity + " " + it.unit, null);
      event.target.reset();
    });
    $("refresh").addEventListener("click", function () { sync().then(refreshData); });
    window.addEventListener("online", function () { sync().then(refreshData); });
    window.addEventListener("offline", render);
    setInterval(function () { if (navigator.onLine) sync(); else render(); }, 15000);
  }

  function wireCamera() {
    var button = $("field-camera"), status = $("field-camera-status");
    if (!window.FieldCamera || !FieldCamera.available()) { status.textContent = T.camera_needs_https; return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.hidden = true;
      FieldCamera.start($("field-video"), function (text) {
        status.textContent = fmt(T.decoder, { name: $("field-video").dataset.decoder });
        button.hidden = false;
        $("field-code").value = normalise(text);
        resolve(text);
      }, function (error) {
        button.hidden = false;
        status.textContent = fmt(T.camera_error, { error: (error && (error.name || error.message)) || String(error) });
      });
    });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }

  wireForms();
  wireCamera();
  registerWorker();
  FieldStore.snapshotGet(DEPOT).then(function (stored) {
    if (stored) snapshot = stored.data;
    return loadQueue();
  }).then(function () {
    root.dataset.ready = "1";
    if (navigator.onLine) return sync().then(refreshData);
  });
})();
