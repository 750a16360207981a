// Preloaded into a process under test (NODE_OPTIONS=--import=<this file>) with
// PEAK_RSS_FILE set: at exit it appends the process's peak resident memory in bytes
// (getrusage's maxrss, the whole process: its worker threads too). A worker thread
// that loads it appends a line of its own; the test takes the largest.
import { appendFileSync } from "node:fs";
import process from "node:process";

const file = process.env.PEAK_RSS_FILE;
if (file) process.on("exit", () => appendFileSync(file, `${process.resourceUsage().maxRSS * 1024}\n`));
