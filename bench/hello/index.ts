// The runtime's ceiling for the edge benchmark: a bare Hono hello world,
// run on the same workerd as Pathlight (bench/edge.ts).
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.text("Hello World"));

export default app;
