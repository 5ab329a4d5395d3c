// Renders /reverseproxy_status; no framework, no external resource (the page is served inside the DMZ).
"use strict";

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fillCounters(id, counters) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren();
  const entries = Object.entries(counters);
  if (entries.length === 0) {
    cell(body.insertRow(), "none", "muted");
    return;
  }
  for (const [name, value] of entries) {
    const row = body.insertRow();
    cell(row, name);
    cell(row, String(value));
  }
}

function ago(iso) {
  if (!iso) return "";
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return seconds < 120 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}

function render(status) {
  document.getElementById("summary").textContent =
    `version ${status.version} · up ${Math.round(status.uptimeSeconds)} s · configuration ${status.configuration.version}`;
  const active = document.getElementById("active");
  active.textContent = status.active.node ? `active node: ${status.active.node} (since ${ago(status.active.since)})` : "active node: none";
  active.className = status.active.node ? "" : "active-none";
  active.dataset.node = status.active.node ?? "";
  document.getElementById("active-reason").textContent = status.active.reason;

  const body = document.querySelector("#nodes tbody");
  body.replaceChildren();
  for (const node of status.nodes) {
    const row = body.insertRow();
    row.dataset.node = node.role;
    if (node.active) row.className = "active";
    cell(row, node.role + (node.active ? " (active)" : ""));
    cell(row, node.address);
    cell(row, node.health, node.health);
    cell(row, node.reachable === null ? "unknown" : node.reachable ? "yes" : "no");
    const probe = node.lastProbe;
    cell(row, probe ? `${probe.status ?? "no answer"}${probe.latencyMs === null ? "" : ` in ${probe.latencyMs} ms`}, ${ago(probe.at)}` : "none yet");
    cell(row, node.detail, "muted");
  }

  fillCounters("requests", status.counters.requests);
  fillCounters("refusals", status.counters.refusals);
  fillCounters("failures", status.counters.upstreamFailures);
  document.getElementById("config").textContent =
    `version ${status.configuration.version}, active since ${status.configuration.activeSince}, from ${status.configuration.files.join(", ")}`;
  document.getElementById("updated").textContent = `updated ${new Date().toLocaleTimeString()}`;
}

async function refresh() {
  try {
    const response = await fetch("/reverseproxy_status", { cache: "no-store" });
    render(await response.json());
  } catch (error) {
    document.getElementById("summary").textContent = `status unavailable: ${error}`;
  }
}

refresh();
setInterval(refresh, 2000);
