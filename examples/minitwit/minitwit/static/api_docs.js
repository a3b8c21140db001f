// Swagger UI shows the OpenAPI document whose address the page gives.
"use strict";
const root = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({
  url: root.dataset.document,
  domNode: root,
  // No badge from a validator's site: the page loads nothing from outside.
  validatorUrl: null,
});
