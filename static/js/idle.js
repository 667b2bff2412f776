// The idle timeout's warning. The server ends a session after IDLE_TIMEOUT seconds without a
// request whatever this script does (accounts.middleware.IdleTimeoutMiddleware); this only warns
// IDLE_WARNING seconds before, offers "Stay signed in" (a request that renews the session), and
// when the time is up reloads the page, which the server answers with the sign-in page.
(function () {
  "use strict";
  const body = document.body;
  const total = Number(body.dataset.idleSeconds);
  const warning = Number(body.dataset.idleWarning);
  const url = body.dataset.idleUrl;
  const box = document.getElementById("idle-warning");
  if (!total || !url || !box) {
    return;
  }
  const countdown = box.querySelector("[data-idle-countdown]");
  const stay = box.querySelector("[data-idle-stay]");
  let deadline = 0;
  let ticker = null;
  let warnTimer = null;
  let endTimer = null;

  function words(seconds) {
    if (seconds >= 90) {
      return Math.round(seconds / 60) + " minutes";
    }
    return seconds + (seconds === 1 ? " second" : " seconds");
  }

  function tick() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = words(left);
  }

  function hide() {
    box.hidden = true;
    if (ticker) {
      clearInterval(ticker);
      ticker = null;
    }
  }

  function show() {
    box.hidden = false;
    tick();
    ticker = setInterval(tick, 1000);
    stay.focus();
  }

  function start() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    hide();
    deadline = Date.now() + total * 1000;
    warnTimer = setTimeout(show, Math.max(0, total - warning) * 1000);
    // A second late, so that the server has certainly ended the session when the page reloads.
    endTimer = setTimeout(function () {
      window.location.assign(window.location.href);
    }, (total + 1) * 1000);
  }

  stay.addEventListener("click", function () {
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.ok) {
          start();
        } else {
          window.location.assign(window.location.href);
        }
      })
      .catch(function () {
        window.location.assign(window.location.href);
      });
  });

  // Any request this page makes through htmx renews the session too.
  body.addEventListener("htmx:afterRequest", start);
  start();
})();
