/** The one stylesheet, served at /assets/playground.css. */
export const STYLES = `
:root {
  --bg: #f5f6fa;
  --surface: #ffffff;
  --surface-2: #f9fafc;
  --border: #e4e7ee;
  --border-strong: #d3d8e2;
  --text: #101828;
  --muted: #667085;
  --faint: #98a2b3;
  --accent: #4f46e5;
  --accent-strong: #4338ca;
  --accent-tint: #eef0ff;
  --ok: #12805c;
  --ok-tint: #e7f6ef;
  --warn: #b45309;
  --warn-tint: #fff4e0;
  --err: #c4320a;
  --err-tint: #fff0eb;
  --info: #1d6fd6;
  --info-tint: #eaf3ff;
  --radius: 14px;
  --shadow: 0 1px 2px rgba(16, 24, 40, 0.05), 0 1px 3px rgba(16, 24, 40, 0.04);
  --mono: ui-monospace, "SF Mono", SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light;
}
.theme-light { --accent: #6246ea; --accent-strong: #4e33d6; --accent-tint: #f0edff; }
.theme-lightbug { --accent: #d9730d; --accent-strong: #b45c06; --accent-tint: #fff3e3; }
.theme-lightfi { --accent: #0d9373; --accent-strong: #0a7a5f; --accent-tint: #e4f6f0; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  font-size: 15px;
  line-height: 1.5;
  color: var(--text);
  background: var(--bg);
  -webkit-font-smoothing: antialiased;
}
a { color: var(--accent-strong); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre, .mono { font-family: var(--mono); font-size: 0.86em; }
h1, h2, h3 { margin: 0; line-height: 1.25; letter-spacing: -0.01em; }

/* Header */
.topbar {
  position: sticky; top: 0; z-index: 10;
  background: rgba(255, 255, 255, 0.92);
  backdrop-filter: saturate(180%) blur(8px);
  border-bottom: 1px solid var(--border);
}
.topbar-inner { max-width: 1180px; margin: 0 auto; padding: 0 24px; height: 60px; display: flex; align-items: center; gap: 28px; }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 650; color: var(--text); white-space: nowrap; }
.brand:hover { text-decoration: none; }
.brand-logo {
  width: 28px; height: 28px; border-radius: 8px; display: grid; place-items: center; color: #fff; font-size: 15px;
  background: linear-gradient(135deg, #6246ea 0%, #d9730d 55%, #0d9373 100%);
}
.brand small { font-weight: 500; color: var(--muted); }
.tabs { display: flex; gap: 4px; height: 100%; }
.tab {
  display: flex; align-items: center; gap: 8px; padding: 0 14px; height: 100%;
  color: var(--muted); font-weight: 550; border-bottom: 2px solid transparent; margin-bottom: -1px;
}
.tab:hover { color: var(--text); text-decoration: none; }
.tab[aria-current="page"] { color: var(--text); border-bottom-color: var(--accent); }
.dot { width: 8px; height: 8px; border-radius: 50%; background: var(--faint); flex: none; }
.dot-light { background: #6246ea; } .dot-lightbug { background: #d9730d; } .dot-lightfi { background: #0d9373; }
.dot-on { box-shadow: 0 0 0 3px rgba(18, 128, 92, 0.18); }
.topbar-mode { margin-left: auto; }

/* Page */
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 64px; }
.hero {
  display: flex; align-items: center; justify-content: space-between; gap: 24px; flex-wrap: wrap;
  padding: 24px 26px; margin-bottom: 20px; border-radius: var(--radius);
  background: linear-gradient(120deg, var(--accent-tint) 0%, #ffffff 75%);
  border: 1px solid var(--border);
}
.hero-title { display: flex; align-items: center; gap: 16px; }
.hero h1 { font-size: 26px; font-weight: 700; }
.hero p { margin: 4px 0 0; color: var(--muted); max-width: 60ch; }
.hero-meta { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.mark {
  width: 48px; height: 48px; border-radius: 12px; display: grid; place-items: center; flex: none;
  background: var(--accent); color: #fff; font-weight: 750; font-size: 22px;
  box-shadow: 0 6px 16px -6px var(--accent);
}
.mark-sm { width: 36px; height: 36px; font-size: 17px; border-radius: 10px; }
.grid { display: grid; grid-template-columns: minmax(0, 1.7fr) minmax(0, 1fr); gap: 20px; align-items: start; }
.stack { display: grid; grid-template-columns: minmax(0, 1fr); gap: 20px; }
@media (max-width: 900px) { .grid { grid-template-columns: minmax(0, 1fr); } }

/* Cards */
.card { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); }
.card-head { display: flex; align-items: center; justify-content: space-between; gap: 12px; padding: 16px 20px; border-bottom: 1px solid var(--border); }
.card-head h2 { font-size: 15px; font-weight: 650; }
.card-head .sub { color: var(--muted); font-size: 13px; }
.card-body { padding: 20px; }
.card-foot { padding: 14px 20px; border-top: 1px solid var(--border); background: var(--surface-2); border-radius: 0 0 var(--radius) var(--radius); }
.muted { color: var(--muted); }
.small { font-size: 13px; }

/* Pills and chips */
.pill {
  display: inline-flex; align-items: center; gap: 6px; padding: 3px 10px; border-radius: 999px;
  font-size: 12.5px; font-weight: 600; white-space: nowrap; background: #eef0f4; color: #475467;
}
.pill::before { content: ""; width: 6px; height: 6px; border-radius: 50%; background: currentColor; opacity: 0.9; }
.pill-plain::before { display: none; }
.pill-ok { background: var(--ok-tint); color: var(--ok); }
.pill-warn { background: var(--warn-tint); color: var(--warn); }
.pill-err { background: var(--err-tint); color: var(--err); }
.pill-off { background: #eef0f4; color: #667085; }
.pill-accent { background: var(--accent-tint); color: var(--accent-strong); }
.chip {
  display: inline-flex; align-items: center; gap: 6px; padding: 3px 10px; border-radius: 8px; font-size: 12.5px;
  border: 1px solid var(--border); background: var(--surface); color: var(--muted); white-space: nowrap;
}
.chip code { font-size: 12px; color: var(--text); }

/* Facts */
.facts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1px; margin: 0; background: var(--border); border-radius: 10px; overflow: hidden; border: 1px solid var(--border); }
.facts > div { background: var(--surface); padding: 12px 14px; min-width: 0; }
.facts dt { font-size: 12px; color: var(--muted); font-weight: 550; text-transform: uppercase; letter-spacing: 0.04em; }
.facts dd { margin: 4px 0 0; font-weight: 560; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.facts dd code { font-size: 13.5px; background: var(--surface-2); border: 1px solid var(--border); padding: 1px 6px; border-radius: 6px; }
.countdown { font-variant-numeric: tabular-nums; }
.countdown.is-soon { color: var(--warn); }
.countdown.is-expired { color: var(--err); }
.big-number { font-size: 20px; font-weight: 700; font-variant-numeric: tabular-nums; }

/* Buttons and forms */
.actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 18px; }
.actions form { margin: 0; }
.actions form:last-child { margin-left: auto; }
.btn {
  appearance: none; display: inline-flex; align-items: center; justify-content: center; gap: 8px;
  padding: 8px 14px; border-radius: 10px; border: 1px solid var(--border-strong); background: var(--surface);
  color: var(--text); font: inherit; font-weight: 600; font-size: 13.5px; cursor: pointer; white-space: nowrap;
  transition: background 0.12s, border-color 0.12s, box-shadow 0.12s, transform 0.05s;
}
.btn:hover { background: var(--surface-2); border-color: #c2c8d4; text-decoration: none; }
.btn:active { transform: translateY(1px); }
.btn:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid color-mix(in srgb, var(--accent) 35%, transparent); outline-offset: 1px; }
.btn-primary { background: var(--accent); border-color: var(--accent); color: #fff; box-shadow: 0 1px 2px rgba(16,24,40,.1), inset 0 1px 0 rgba(255,255,255,.15); }
.btn-primary:hover { background: var(--accent-strong); border-color: var(--accent-strong); }
.btn-danger { color: var(--err); }
.btn-danger:hover { background: var(--err-tint); border-color: #f3b8a6; }
.btn-block { width: 100%; }
.btn[aria-busy="true"] { opacity: 0.65; cursor: progress; }
.btn .kbd { font-family: var(--mono); font-size: 12px; font-weight: 500; opacity: 0.85; }
.field { display: grid; gap: 6px; margin-bottom: 14px; }
.field label { font-size: 13px; font-weight: 600; }
.field input, .field select {
  font: inherit; padding: 9px 12px; border: 1px solid var(--border-strong); border-radius: 10px; background: #fff; color: var(--text);
}
.field input { font-family: var(--mono); font-size: 14px; }
.field .help { font-size: 12.5px; color: var(--muted); }
.split { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px; }
@media (max-width: 700px) { .split, .facts { grid-template-columns: minmax(0, 1fr); } }
.signin h3 { font-size: 15px; margin-bottom: 4px; }
.signin p { margin: 0 0 16px; color: var(--muted); font-size: 14px; }
.steps { margin: 0 0 18px; padding: 0; list-style: none; display: grid; gap: 8px; font-size: 13.5px; color: var(--muted); }
.steps li { display: flex; gap: 10px; align-items: baseline; }
.steps li b { flex: none; width: 20px; height: 20px; border-radius: 50%; display: inline-grid; place-items: center; font-size: 11.5px; background: var(--accent-tint); color: var(--accent-strong); }
.hint { display: flex; gap: 8px; align-items: center; font-size: 12.5px; color: var(--muted); background: var(--surface-2); border: 1px dashed var(--border-strong); border-radius: 8px; padding: 7px 10px; margin-top: 12px; }
.hint code { color: var(--text); }

/* Banners */
.banner { display: flex; gap: 14px; align-items: flex-start; padding: 14px 18px; border-radius: 12px; margin-bottom: 20px; border: 1px solid; }
.banner-icon { flex: none; width: 26px; height: 26px; border-radius: 50%; display: grid; place-items: center; font-weight: 800; font-size: 14px; color: #fff; }
.banner h3 { font-size: 14.5px; margin-bottom: 2px; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.banner p { margin: 2px 0 0; }
.banner-error { background: var(--err-tint); border-color: #f7c7b8; }
.banner-error .banner-icon { background: var(--err); }
.banner-notice { background: var(--ok-tint); border-color: #b9e4d1; }
.banner-notice .banner-icon { background: var(--ok); }
.banner code.error-code { background: rgba(255,255,255,.7); border: 1px solid #f3b8a6; color: var(--err); padding: 0 6px; border-radius: 6px; font-weight: 600; }
.banner dl { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 8px 0 0; font-size: 12.5px; }
.banner dl div { display: flex; gap: 6px; }
.banner dt { color: var(--muted); } .banner dd { margin: 0; font-family: var(--mono); }
.banner .hint-line { color: var(--muted); font-size: 13px; }

/* JSON panel */
.json {
  margin: 0; padding: 16px 18px; background: #0f1424; color: #d6deeb; border-radius: 0 0 var(--radius) var(--radius);
  overflow: auto; max-height: 460px; font-size: 12.8px; line-height: 1.6; tab-size: 2;
}
.j-key { color: #82aaff; } .j-str { color: #c3e88d; } .j-num { color: #f78c6c; } .j-lit { color: #c792ea; }
.result-meta { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.method { font-family: var(--mono); font-size: 12px; font-weight: 700; color: var(--ok); background: var(--ok-tint); padding: 2px 7px; border-radius: 6px; }

/* Event log */
.log-card { position: sticky; top: 80px; }
.live { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); }
.live::before { content: ""; width: 7px; height: 7px; border-radius: 50%; background: var(--faint); }
.live.is-live::before { background: #22c55e; box-shadow: 0 0 0 3px rgba(34, 197, 94, 0.2); }
.log { list-style: none; margin: 0; padding: 6px 0; max-height: 640px; overflow: auto; }
.log-item { padding: 11px 20px 11px 18px; border-left: 3px solid transparent; }
.log-item + .log-item { border-top: 1px solid var(--border); }
.log-item.is-new { animation: flash 1.6s ease-out; }
@keyframes flash { from { background: var(--accent-tint); } to { background: transparent; } }
.log-line { display: flex; align-items: center; gap: 8px; }
.log-line time { margin-left: auto; font-family: var(--mono); font-size: 11.5px; color: var(--faint); }
.log-item p { margin: 4px 0 0; font-size: 13.5px; }
.tag { font-family: var(--mono); font-size: 11.5px; font-weight: 650; padding: 1px 7px; border-radius: 6px; background: #eef0f4; color: #475467; }
.log-success { border-left-color: #34c38f; } .log-success .tag { background: var(--ok-tint); color: var(--ok); }
.log-warning { border-left-color: #f4a23b; } .log-warning .tag { background: var(--warn-tint); color: var(--warn); }
.log-error { border-left-color: #f07654; } .log-error .tag { background: var(--err-tint); color: var(--err); }
.log-info.from-sdk .tag { background: var(--info-tint); color: var(--info); }
.from-app .tag { background: transparent; border: 1px solid var(--border); color: var(--muted); }
.log-legend { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; margin: 0; padding: 9px 20px; font-size: 12px; color: var(--muted); border-bottom: 1px solid var(--border); background: var(--surface-2); }
.log-legend span.legend-item { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
.log-legend .tag-sdk { background: var(--info-tint); color: var(--info); }
.log-legend .tag-app { background: transparent; border: 1px solid var(--border-strong); color: var(--muted); }
.log-details { display: flex; flex-wrap: wrap; gap: 2px 12px; margin: 5px 0 0; font-size: 12px; color: var(--muted); }
.log-details div { display: flex; gap: 5px; min-width: 0; }
.log-details dt::after { content: ":"; }
.log-details dd { margin: 0; font-family: var(--mono); color: #475467; overflow-wrap: anywhere; }
.empty { padding: 28px 20px; text-align: center; color: var(--muted); font-size: 14px; }
.empty b { display: block; color: var(--text); margin-bottom: 4px; }
.stale { display: none; }
.stale.is-visible { display: flex; }

/* Home */
.intro { margin-bottom: 24px; }
.intro h1 { font-size: 28px; font-weight: 750; }
.intro p { color: var(--muted); max-width: 72ch; margin: 8px 0 0; }
.vendors { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 20px; }
@media (max-width: 900px) { .vendors { grid-template-columns: minmax(0, 1fr); } }
.vendor-card { display: flex; flex-direction: column; overflow: hidden; }
.vendor-card .card-body { flex: 1; display: grid; gap: 14px; align-content: start; }
.vendor-card .stripe { height: 4px; background: var(--accent); }
.vendor-card h2 { font-size: 18px; }
.vendor-card .desc { color: var(--muted); font-size: 14px; margin: 0; }
.kv { display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; margin: 0; font-size: 13.5px; }
.kv dt { color: var(--muted); } .kv dd { margin: 0; text-align: right; font-weight: 560; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.how { margin-top: 24px; }
.how ul { margin: 0; padding-left: 18px; color: var(--muted); font-size: 14px; display: grid; gap: 6px; }
.push { margin-left: auto; }
@media (max-width: 900px) { .log-card { position: static; } }
@media (max-width: 700px) {
  .topbar-inner { gap: 10px; padding: 0 12px; }
  .brand-name, .topbar-mode { display: none; }
  .tabs { overflow-x: auto; scrollbar-width: none; }
  .tab { padding: 0 10px; }
  main { padding: 18px 12px 48px; }
  .hero { padding: 18px; }
}
.footer { margin-top: 36px; color: var(--faint); font-size: 12.5px; text-align: center; }
`;
