/* The field app's storage on the phone (IndexedDB): the queue of operations waiting to reach the
   server, and the depot data the app works from. Survives reloads, closed tabs and restarts.
   window.FieldStore: queueAdd, queueAll, queuePut, queueDelete, snapshotGet, snapshotPut. */
(function () {
  "use strict";
  var NAME = "relief-field", VERSION = 1, opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      var request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
        if (!db.objectStoreNames.contains("snapshots")) db.createObjectStore("snapshots", { keyPath: "depot" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opening;
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode), result;
        var request = work(tx.objectStore(store));
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  window.FieldStore = {
    queueAdd: function (op) { return run("queue", "readwrite", function (s) { return s.add(op); }); },
    queuePut: function (op) { return run("queue", "readwrite", function (s) { return s.put(op); }); },
    queueDelete: function (id) { return run("queue", "readwrite", function (s) { return s.delete(id); }); },
    queueAll: function () {  // oldest first: the order the keeper did them in
      return run("queue", "readonly", function (s) { return s.getAll(); }).then(function (ops) {
        return (ops || []).sort(function (a, b) { return a.id - b.id; });
      });
    },
    snapshotGet: function (depot) { return run("snapshots", "readonly", function (s) { return s.get(depot); }); },
    snapshotPut: function (snapshot) { return run("snapshots", "readwrite", function (s) { return s.put(snapshot); }); }
  };
})();
