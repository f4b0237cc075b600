// Pathlight install snippet (source). `npm run build` minifies it into
// dist/tag/snippet.min.js (budget: 1,000 bytes). It defines window.jstag
// with stubs that queue every call, loads the tag from config.src, then
// calls the real init and replays the queue in order. If the script never
// loads, the stubs keep queueing and never throw.
!(function (w, d) {
  var o = (w.jstag = w.jstag || {}),
    q = [];
  "send mock identify pageView block unblock getid setid clearCookies loadEntity getEntity entityReady on once call optIn optOut"
    .split(" ")
    .forEach(function (n) {
      o[n] = function () {
        q.push([n, arguments]);
      };
    });
  function stored(k) {
    try {
      return JSON.parse(localStorage.getItem(k));
    } catch (e) {}
  }
  o.getSegments = function () {
    return stored("lytics_segments") || ["all"];
  };
  o.isOptedOut = function () {
    return stored("_pl_optout") == 1;
  };
  o.init = function init(c) {
    var s = d.createElement("script");
    o.config = c;
    s.async = !0;
    s.src = c.src;
    s.onload = function () {
      if (o.init == init) return;
      o.init(o.config);
      q.forEach(function (a) {
        o[a[0]].apply(o, a[1]);
      });
      q = [];
    };
    (d.head || d.body).appendChild(s);
    return o;
  };
})(window, document);
