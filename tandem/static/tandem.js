// Tandem's own behaviour for the pages. The Content Security Policy runs no inline
// script and no eval (so no hx-on attributes): what a page needs beyond htmx is here.
"use strict";

// A control marked data-htmx-reveal needs htmx to work (e.g. "Add another next step"):
// it stays hidden until htmx has taken it over, so without JavaScript it never shows.
document.addEventListener("htmx:afterProcessNode", (event) => {
  const node = event.target;
  if (node instanceof HTMLElement && node.hasAttribute("data-htmx-reveal")) {
    node.hidden = false;
  }
});
