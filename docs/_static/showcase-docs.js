// A code block wider than the screen scrolls sideways; keyboard users can
// scroll it only if it can take the focus (WCAG 2.1.1). Phones need this
// for most blocks; on a laptop 79-column code fits without scrolling.
function focusWideCode() {
  for (const pre of document.querySelectorAll("div.highlight pre")) {
    if (pre.scrollWidth > pre.clientWidth) {
      pre.setAttribute("tabindex", "0");
    } else {
      pre.removeAttribute("tabindex");
    }
  }
}
document.addEventListener("DOMContentLoaded", focusWideCode);
window.addEventListener("resize", focusWideCode);
