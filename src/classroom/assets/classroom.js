// brink classroom: a little help on top of pages that work without it.
// - asks before a move that ends the talks (data-confirm);
// - shows what the offer being built is worth, as the choices change;
// - sends a form once (the server refuses a repeat anyway);
// - on the teacher's page, refreshes the list of students every 5 seconds.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });

  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      // Disabled after this turn of the event loop, so the clicked button's value is still sent.
      setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });

  var move = document.getElementById("move");
  var shown = document.getElementById("offer-worth");
  if (move && shown) {
    var strides = move.dataset.strides ? move.dataset.strides.split(",").map(Number) : [];
    var worth = move.dataset.worth ? move.dataset.worth.split(",").map(Number) : [];
    var selects = Array.prototype.slice.call(move.querySelectorAll("select[name^='i']"));
    var update = function () {
      var outcome = 0;
      var sum = 0;
      selects.forEach(function (s, i) {
        outcome += Number(s.value) * strides[i];
        sum += Number(s.selectedOptions[0].dataset.worth);
      });
      shown.textContent = worth.length > 0
        ? "This offer is worth " + worth[outcome].toFixed(3) + " to you."
        : "Its options add " + sum.toFixed(3) + " to you (payoff rules may add more).";
    };
    selects.forEach(function (s) { s.addEventListener("change", update); });
    update();
  }

  var live = document.getElementById("live");
  if (live) {
    setInterval(function () {
      fetch(live.dataset.poll, { cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
          if (fresh) live.innerHTML = fresh.innerHTML;
        })
        .catch(function () { /* the next poll tries again */ });
    }, 5000);
  }
});
