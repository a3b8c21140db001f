// Ask before a form with a data-confirm attribute is sent (the Delete
// button). The official tutorial does this with an inline script,
// onclick="return confirm(...)". flaskr's Content-Security-Policy forbids
// inline scripts, so the same behaviour lives here, in a file served by the
// app itself.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
