/* "Who was your therapist?" on "How to raise a concern" (overrides/partials/complaint-routes.html).
   Without JavaScript the page lists every group and every body, with a jump list. This script
   only narrows that list to the reader's pick: the group for that kind of therapist, the bodies
   it names (for the chosen place, where places matter) and their cards.
   Nothing is stored, sent or put in the address: no storage, no network, no history. */
(function () {
  "use strict";

  const finder = document.querySelector("[data-finder]");
  if (!finder) return;
  const routes = finder.closest(".fst-routes") || document;
  const where = finder.querySelector("#fst-finder-where");
  const jump = routes.querySelector(".fst-jump");
  const groups = Array.from(routes.querySelectorAll(".fst-group"));
  const cards = Array.from(routes.querySelectorAll(".fst-card"));
  const OUT = "fst-finder-out";

  /* The question: one choice per group, made from the jump list (its links name every group);
     then the status line and a way back to the whole list. The place question, where the region
     has one, is in the page already. */
  const who = document.createElement("fieldset");
  who.className = "fst-finder__who";
  const legend = document.createElement("legend");
  legend.textContent = "Pick the one that fits best";
  who.append(legend);
  (jump ? Array.from(jump.querySelectorAll("a")) : []).forEach(function (link) {
    const label = document.createElement("label");
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "fst-finder-who";
    radio.value = link.getAttribute("href").slice("#therapist-".length);
    label.append(radio, " " + link.textContent);
    who.append(label);
  });
  finder.prepend(who);
  const status = document.createElement("p");
  status.className = "fst-finder__status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const resetLine = document.createElement("p");
  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "md-button";
  reset.textContent = "Show everyone again";
  resetLine.append(reset);
  finder.append(status, resetLine);

  /* Whether an element with data-places serves the chosen place ("" every place, "-" elsewhere). */
  function serves(element, place) {
    const places = (element.getAttribute("data-places") || "").split(" ").filter(Boolean);
    if (!place) return true;
    if (place === "-") return places.length === 0;
    return places.length === 0 || places.indexOf(place) !== -1;
  }

  function chosen() {
    const radio = finder.querySelector('input[name="fst-finder-who"]:checked');
    return radio ? radio.value : "";
  }

  function show() {
    const picked = chosen();
    const place = where ? where.value : "";
    if (!picked) {
      groups.concat(cards).forEach(function (el) { el.classList.remove(OUT); });
      routes.querySelectorAll(".fst-group__bodies li").forEach(function (li) { li.classList.remove(OUT); });
      resetLine.hidden = true;
      status.textContent = "";
      return;
    }
    const shown = new Set();
    let label = "";
    groups.forEach(function (group) {
      const mine = group.getAttribute("data-group") === picked;
      group.classList.toggle(OUT, !mine);
      if (!mine) return;
      label = (group.querySelector("h3") || group).textContent.trim();
      group.querySelectorAll(".fst-group__bodies li").forEach(function (li) {
        const fits = serves(li, place);
        li.classList.toggle(OUT, !fits);
        if (fits) shown.add(li.querySelector("a").getAttribute("href").slice("#body-".length));
      });
    });
    cards.forEach(function (card) {
      card.classList.toggle(OUT, !shown.has(card.getAttribute("data-body")));
    });
    resetLine.hidden = false;
    status.textContent = shown.size
      ? "Showing " + shown.size + (shown.size === 1 ? " body" : " bodies") + " for: " + label + "."
      : "This guide has not checked a body for that choice yet. Try \u201cI\u2019m not sure\u201d.";
  }

  finder.addEventListener("change", show);
  reset.addEventListener("click", function () {
    finder.querySelectorAll('input[name="fst-finder-who"]').forEach(function (radio) { radio.checked = false; });
    if (where) where.value = "";
    show();
  });
  /* The radios do the jump list's work now; without this script the list is the way in. */
  if (jump) jump.classList.add(OUT);
  resetLine.hidden = true;
  finder.hidden = false;
})();
