/**
 * The console's way to the API reference: /docs is its own page (Swagger UI
 * under the same strict policy), since it renders the whole OpenAPI document.
 */
import { Card } from "../../ui/card";
import type { PageProps } from "../types";

export default function Docs({ session }: PageProps) {
  return (
    <>
      <h1>API reference</h1>
      <Card title="Every endpoint, with “try it”">
        <p>
          The reference lists every endpoint of this server with its parameters, bodies, answers and errors. To call one
          from there, press <strong>Authorize</strong>, paste an API token (it stays in that tab's memory), then{" "}
          <strong>Try it out</strong>. Management calls name the account with <code>?cid={session.cid}</code> when the
          token is the server's admin token.
        </p>
        <p class="row">
          <a class="button" href="/docs" target="_blank" rel="noopener">
            Open the API reference
          </a>
          <a href="/openapi.json">OpenAPI document (JSON)</a>
        </p>
      </Card>
    </>
  );
}
