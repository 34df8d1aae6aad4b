/* Quick exit (overrides/partials/quick-exit.html), after the GOV.UK design system's
   "Exit this page": the button, or Shift pressed three times in a row (each press within
   5 seconds of the last, no other key between), blanks the page at once and leaves it.
   Full page: location.replace, so this page leaves the tab's history and the back button
   does not return to it. Embed view: the frame is blanked and emptied in place (it never
   touches the host page, and sends the host no new height). Screen readers hear how many
   presses are left, then "Loading.", a word that says nothing if overheard.
   Stores and sends nothing. Part of Feeling Safe in Therapy; code under the MIT licence. */
(function () {
  "use strict";
  var button = document.querySelector("[data-fst-exit]");
  if (!button) return;
  var framed = button.tagName === "BUTTON"; // the embed view's
  var PRESSES = 3;
  var WAIT = 5000; // ms between presses
  var presses = 0;
  var timer = 0;
  var lastWasModifier = false;
  var leaving = false;
  var title = document.title;

  /* The link becomes the button (site.css, .fst-exit); the shortcut works now, so it is
     described, and presses left are announced in a status line beside it. */
  var hint = document.createElement("span");
  hint.id = "fst-exit-hint";
  hint.hidden = true;
  hint.textContent = (framed ? "Hides this guide at once" : "Leaves at once for another site") +
    ". Shortcut: press Shift three times.";
  var status = document.createElement("span");
  status.className = "rt-visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("data-fst-exit-status", "");
  button.after(hint, status);
  button.setAttribute("aria-describedby", hint.id);
  button.classList.add("fst-exit");
  button.hidden = false;

  function say(text) {
    status.textContent = text;
  }

  /* Everything on the page goes at once, before the next page (or nothing) loads: only a
     plain "Loading." is left. Inline styles through the CSSOM (the CSP allows no style
     attribute in markup), so it needs no stylesheet to have loaded. */
  function blank() {
    document.title = "Loading";
    Array.prototype.forEach.call(document.body.children, function (child) {
      child.style.setProperty("display", "none", "important");
    });
    var note = document.createElement("p");
    note.className = "fst-exit-blank";
    note.setAttribute("role", "alert");
    document.body.appendChild(note);
    note.textContent = "Loading."; // set after it is in the page, so screen readers announce it
    document.documentElement.setAttribute("data-fst-exited", "");
  }

  function leave() {
    if (leaving) return;
    leaving = true;
    blank();
    /* The destination is not told where the reader was, even on a host that sends no
       Referrer-Policy header (the link's rel="noreferrer" covers a click without scripts). */
    var policy = document.createElement("meta");
    policy.name = "referrer";
    policy.content = "no-referrer";
    document.head.appendChild(policy);
    if (framed) {
      // The frame's own document only: an empty page in its place, no history entry.
      location.replace("about:blank");
    } else {
      location.replace(button.href);
    }
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });

  function reset(announce) {
    presses = 0;
    clearTimeout(timer);
    timer = 0;
    say(announce ? "Exit shortcut stopped." : "");
  }

  /* keyup: pressing Shift to type a capital letter ends with a letter's keyup that has
     shiftKey set, so the Shift keyup after it is not counted. */
  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift" && !lastWasModifier) {
      presses += 1;
      clearTimeout(timer);
      if (presses >= PRESSES) {
        reset(false);
        leave();
      } else {
        say("Shift, press " + (PRESSES - presses) + " more time" + (PRESSES - presses === 1 ? "" : "s") + " to exit.");
        timer = setTimeout(function () { reset(true); }, WAIT);
      }
    } else if (presses) {
      reset(true);
    }
    lastWasModifier = event.shiftKey;
  }, true);

  /* A browser that brings a page back from its cache (forward, or a restored tab) shows it
     as it was: blank. Show the page again instead of a page no one can use. */
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted || !leaving) return;
    leaving = false;
    var note = document.querySelector(".fst-exit-blank");
    if (note) note.remove();
    Array.prototype.forEach.call(document.body.children, function (child) {
      child.style.removeProperty("display");
    });
    document.documentElement.removeAttribute("data-fst-exited");
    document.title = title;
    reset(false);
  });
})();
