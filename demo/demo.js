// The demo panel: shows what the tag knows (uid, cached segments, entity)
// and sends events with jstag.send. Uses only the public jstag API.
(function () {
  var panel = document.createElement("aside");
  panel.setAttribute("aria-label", "Pathlight panel");
  panel.innerHTML =
    "<h2>Pathlight panel</h2>" +
    '<div>_uid: <code id="pl-uid">…</code></div>' +
    '<div>Cached segments: <code id="pl-segments">…</code></div>' +
    '<label>Your name <input id="pl-name" autocomplete="off"></label>' +
    '<button id="pl-send-name" type="button">jstag.send({name})</button>' +
    '<button id="pl-topic" type="button">Send favorite_topic</button>' +
    '<button id="pl-reload" type="button">Reload profile</button>' +
    '<button id="pl-optout" type="button">Opt out</button>' +
    '<h2>Profile (from /personalize)</h2><pre id="pl-entity">loading…</pre>';
  document.body.appendChild(panel);
  var $ = function (id) {
    return document.getElementById(id);
  };
  function render() {
    jstag.getid(function (id) {
      $("pl-uid").textContent = id;
    });
    $("pl-segments").textContent = JSON.stringify(jstag.getSegments());
    var entity = jstag.getEntity && jstag.getEntity();
    $("pl-entity").textContent = entity ? JSON.stringify(entity.data.user, null, 2) : "not loaded yet";
  }
  var topic = document.querySelector('meta[name="pathlight:topic"]');
  $("pl-send-name").onclick = function () {
    jstag.send({ name: $("pl-name").value }, function () {
      jstag.loadEntity(render);
    });
  };
  $("pl-topic").onclick = function () {
    jstag.send({ favorite_topic: topic ? topic.content : "news" }, function () {
      jstag.loadEntity(render);
    });
  };
  $("pl-reload").onclick = function () {
    jstag.loadEntity(render);
  };
  $("pl-optout").onclick = function () {
    jstag.optOut();
    render();
  };
  jstag.on("entity.loaded", render);
  render();
  // Hiking articles count towards the "hiking fans" audience (two views), which the seeded "Hiking picks" targets.
  var keywords = document.querySelector('meta[name="keywords"]');
  var views = Number(localStorage.getItem("pl_demo_hiking_views") || 0) + 1;
  if (keywords && /\bhiking\b/.test(keywords.content)) {
    localStorage.setItem("pl_demo_hiking_views", String(views));
    jstag.send({ hiking_views: views });
  }
})();
