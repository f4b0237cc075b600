// The API reference at /docs: Swagger UI (swagger-ui-dist, served by the
// worker from dist/docs, never a CDN) rendering /openapi.json. "Try it out"
// calls this worker; the reader pastes a token through "Authorize", which
// Swagger UI keeps in memory only (persistAuthorization is off).
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: false,
  persistAuthorization: false,
  validatorUrl: null,
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
  displayRequestDuration: true,
  filter: true,
  tryItOutEnabled: false,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
