// Answers its message on $PORT (the agent gives each instance its own); /healthz is
// the health check. One line to change for a redeploy: MESSAGE below.
import express from "express";

const MESSAGE = "hello from express v1";

const app = express();
app.get("/healthz", (_request, response) => response.type("text").send("ok\n"));
app.get("/", (_request, response) => response.type("text").send(`${MESSAGE}\n`));

const port = Number(process.env.PORT ?? 3000);
// $HOST: the address the agent gives each instance (127.0.0.1: only the proxy reaches it).
const server = app.listen(port, process.env.HOST, () => console.log(`express listening on ${port}`));

// The agent's graceful stop: finish what is in flight, then exit.
process.on("SIGTERM", () => server.close(() => process.exit(0)));
