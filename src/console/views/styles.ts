/** The console's one style sheet: a quiet, dense admin look that follows the system's light or dark mode. */
export const CONSOLE_CSS = `
:root{--bg:#f6f7f9;--panel:#fff;--text:#1b1f24;--muted:#5f6b7a;--line:#e2e6eb;--accent:#3b5bdb;--accent-ink:#fff;
--accent-soft:#edf1ff;--ok:#1f7a4d;--ok-soft:#e3f5ec;--warn:#8a5a00;--warn-soft:#fff3d6;--bad:#b42318;--bad-soft:#fdecea;
--code:#f1f3f6;--shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.08);color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0f1217;--panel:#171b22;--text:#e6e9ee;--muted:#9aa4b2;--line:#2a303a;
--accent:#7c95ff;--accent-ink:#0f1217;--accent-soft:#1e2640;--ok:#5fd39a;--ok-soft:#13291f;--warn:#f0c060;--warn-soft:#2d2410;
--bad:#ff8a80;--bad-soft:#341816;--code:#11151b;--shadow:none}}
*{box-sizing:border-box}
html{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;background:var(--bg);color:var(--text)}
body{margin:0;min-height:100vh;display:grid;grid-template-columns:232px 1fr;grid-template-rows:auto 1fr}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px;border-radius:4px}
.skip{position:absolute;left:-999px;top:8px;background:var(--panel);padding:8px 12px;z-index:9}.skip:focus{left:8px}
header.top{grid-column:1/3;display:flex;align-items:center;gap:16px;padding:0 20px;height:52px;background:#111827;color:#e5e7eb}
header.top .brand{display:flex;align-items:center;gap:10px;color:#fff;font-weight:650;font-size:15px;letter-spacing:.2px}
header.top .brand svg{flex:none}
header.top .meta{margin-left:auto;display:flex;gap:18px;font-size:12.5px;color:#9ca3af}
header.top .meta b{color:#e5e7eb;font-weight:500}
header.top form{margin:0}header.top button{background:none;border:1px solid #374151;color:#e5e7eb;padding:4px 10px;border-radius:6px;cursor:pointer;font:inherit;font-size:12.5px}
nav.side{background:var(--panel);border-right:1px solid var(--line);padding:16px 10px;font-size:13.5px}
nav.side h2{font-size:11px;text-transform:uppercase;letter-spacing:.08em;color:var(--muted);margin:14px 10px 6px;font-weight:600}
nav.side h2:first-child{margin-top:0}
nav.side a{display:block;padding:6px 10px;border-radius:6px;color:var(--text);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
nav.side a:hover{background:var(--bg);text-decoration:none}
nav.side a[aria-current=page]{background:var(--accent-soft);color:var(--accent);font-weight:600}
nav.side .pool-name{padding:2px 10px 6px;font-weight:600;overflow-wrap:anywhere}
nav.side .pool-id{padding:0 10px 8px;color:var(--muted);font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
main{padding:24px 32px 48px;min-width:0;max-width:1180px}
.crumbs{font-size:12.5px;color:var(--muted);margin-bottom:6px}.crumbs a{color:var(--muted)}
h1{font-size:22px;margin:0 0 18px;font-weight:650;letter-spacing:-.01em}
.lede{color:var(--muted);margin:-14px 0 20px}
h2{font-size:15px;margin:0 0 12px;font-weight:650}
.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;box-shadow:var(--shadow);padding:18px 20px;margin-bottom:18px}
.card.flush{padding:0}.card.flush>h2{padding:16px 20px 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:18px;align-items:start}
.grid>.card{margin-bottom:0}.grid.main-side{grid-template-columns:minmax(0,2fr) minmax(280px,1fr)}
.card.flush{overflow-x:auto}
.stack>*+*{margin-top:18px}
table{width:100%;border-collapse:collapse;font-size:13.5px}
th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em;padding:10px 14px;border-bottom:1px solid var(--line);white-space:nowrap}
td{padding:10px 14px;border-bottom:1px solid var(--line);vertical-align:top}
tr:last-child td{border-bottom:0}
tbody tr:hover{background:var(--bg)}
.card.flush table{margin-top:8px}
.empty{padding:28px 20px;text-align:center;color:var(--muted)}
dl.props{display:grid;grid-template-columns:minmax(140px,max-content) 1fr;gap:8px 20px;margin:0}
dl.props dt{color:var(--muted)}dl.props dd{margin:0;overflow-wrap:anywhere}
code,.mono{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--code);padding:1px 5px;border-radius:4px}
pre{background:var(--code);border:1px solid var(--line);border-radius:8px;padding:12px 14px;overflow:auto;font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;background:var(--code);color:var(--muted);white-space:nowrap}
.badge.ok{background:var(--ok-soft);color:var(--ok)}.badge.warn{background:var(--warn-soft);color:var(--warn)}.badge.bad{background:var(--bad-soft);color:var(--bad)}.badge.info{background:var(--accent-soft);color:var(--accent)}
.alert{border-radius:8px;padding:12px 14px;margin-bottom:18px;border:1px solid}
.alert.error{background:var(--bad-soft);border-color:var(--bad);color:var(--bad)}.alert.error b{display:block}
.alert.notice{background:var(--ok-soft);border-color:var(--ok);color:var(--ok)}
form.inline{display:inline}
.field{display:flex;flex-direction:column;gap:4px;margin-bottom:12px}
.field label,.field .label{font-weight:600;font-size:13px}
.field .hint{color:var(--muted);font-size:12.5px}
input[type=text],input[type=email],input[type=password],input[type=search],select,textarea{font:inherit;color:inherit;background:var(--panel);border:1px solid var(--line);border-radius:7px;padding:7px 10px;min-width:0;width:100%}
input:focus,select:focus,textarea:focus{border-color:var(--accent);outline:2px solid var(--accent-soft);outline-offset:0}
.check{display:flex;align-items:center;gap:8px;margin-bottom:8px}.field label.check{font-weight:400;font-size:14px}
.card.flush th:first-child,.card.flush td:first-child{padding-left:20px}.card.flush th:last-child,.card.flush td:last-child{padding-right:20px}
.check.flow{align-items:flex-start;margin-bottom:10px}.check.flow input{margin-top:4px}.check.flow code{font-size:11.5px}
.checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:0 16px;margin-bottom:8px}
.row{display:flex;gap:10px;align-items:flex-end;flex-wrap:wrap}.row>.field{flex:1;min-width:160px}
.actions{display:flex;gap:8px;flex-wrap:wrap;align-items:center}
button,.button{font:inherit;font-weight:600;font-size:13px;border-radius:7px;padding:7px 14px;border:1px solid var(--line);background:var(--panel);color:var(--text);cursor:pointer;display:inline-block;line-height:1.4;white-space:nowrap}
button:hover,.button:hover{background:var(--bg);text-decoration:none}
button.primary,.button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-ink)}
button.primary:hover{filter:brightness(1.08)}
button.danger{color:var(--bad);border-color:var(--bad)}button.small{padding:3px 10px;font-size:12px;font-weight:500}
.search{display:flex;gap:8px;margin-bottom:6px}.search input{flex:1}
.muted{color:var(--muted)}.nowrap{white-space:nowrap}.right{text-align:right}
.code-big{font:600 20px ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.12em;background:var(--accent-soft);color:var(--accent);padding:2px 10px;border-radius:6px}
.message{white-space:pre-wrap;overflow-wrap:anywhere;max-width:560px}
.reasons{margin:4px 0 0;padding-left:18px;color:var(--muted);font-size:12.5px}
.pager{padding:12px 20px;border-top:1px solid var(--line)}
details summary{cursor:pointer;color:var(--accent);font-weight:600}
@media (max-width:820px){body{grid-template-columns:1fr}header.top{grid-column:1}header.top .meta{display:none}
nav.side{border-right:0;border-bottom:1px solid var(--line);display:flex;flex-wrap:wrap;gap:2px;padding:10px}
nav.side h2,nav.side .pool-name,nav.side .pool-id{width:100%;margin-top:6px}main{padding:18px}.grid.main-side{grid-template-columns:1fr}}
`;
