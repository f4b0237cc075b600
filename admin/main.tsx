/**
 * Pathlight console (/admin): the shell (sign-in, navigation, hash routes)
 * whose pages load on demand. It talks to the public HTTP API only.
 */
import { render } from "preact";
import { App } from "./shell/app";

const root = document.getElementById("app")!;
// index.html shows "Loading the console…" until this script runs; Preact
// renders beside existing children, so the placeholder is removed first.
root.replaceChildren();
render(<App />, root);
