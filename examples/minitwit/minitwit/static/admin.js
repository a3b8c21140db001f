// The admin site's buttons, as event listeners: the Content-Security-Policy
// runs no inline onclick handler (templates/admin/minitwit/list.html).
"use strict";

// "With selected" > an action: Flask-Admin's actions.js runs it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (button) {
    event.preventDefault();
    window.modelActions.execute(button.dataset.action);
  }
});

// A form that asks first (delete): sent only if the admin says yes.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Flask-Admin's filter script adds boxes without a label: each is named
// after its filter ("Suspended"), for screen readers.
new MutationObserver(() => {
  for (const box of document.querySelectorAll(".filter-val:not([aria-label])")) {
    const name = box.closest("tr").cells[0].textContent;
    box.setAttribute("aria-label", name.replace("\u00d7", "").trim());
  }
}).observe(document.body, { childList: true, subtree: true });
