// The web desk's page: plain JavaScript, no build step.
//
// The address says who is looking (?view=agent&name=agent01,
// ?view=trainee&name=trainee01&follow=agent01, ?view=supervisor); the page
// opens /ws with the same query, gets a snapshot, then one message per
// change: `call` (a call's state), `line` (transcript), `assist` (the
// script's suggestions for the person on a call), `summary` (queue, people,
// funnel, twice a second), `training` (a trainee's grab decisions),
// `refused` (a command the desk turned down). Commands go back as JSON:
// grab, take_next, reply, hand_back, end, start_training.
//
// Messages change `state`; drawing happens once per animation frame, and
// each message's server stamp (`ts`, the wall clock when its event was due)
// is compared with the time its frame is drawn: window.patterLatency keeps
// those event-to-screen delays for anyone measuring (the browser test does).
'use strict';

(function () {
  const params = new URLSearchParams(location.search);
  const view = params.get('view') || '';
  const me = params.get('name') || '';
  const follow = params.get('follow') || '';

  const state = {
    hello: null,
    calls: new Map(),    // id -> call (with lines, lineCount, assist)
    byRobot: new Map(),  // "agent/robot" -> the robot's latest call id
    summary: null,
    training: null,
  };
  const latency = { samples: [], max: 20000, messages: 0 };
  window.patterDesk = { state, view, name: me, follow, closes: [] };
  window.patterLatency = latency;

  // ---- small helpers --------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k === 'style') e.style.cssText = v;  // the CSP allows no style attributes
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  const $ = (id) => document.getElementById(id);
  const robotKey = (c) => c.agent + '/' + c.robot;
  const seconds = (ms) => (ms / 1000).toFixed(0) + ' s';
  function clock(ms) {
    const s = Math.floor(ms / 1000);
    const two = (n) => String(n).padStart(2, '0');
    return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  }
  let toastTimer = 0;
  function toast(text) {
    const t = $('toast');
    t.textContent = text;
    t.classList.add('show');
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => t.classList.remove('show'), 3500);
  }

  // ---- the connection --------------------------------------------------------------

  let ws = null;
  let opened = false;
  // A WebSocket refused before it opened: signed out (401) goes to the
  // sign-in page; anything else (the server restarting) tries again.
  async function lostBeforeOpen() {
    try {
      const r = await fetch('/session', { cache: 'no-store' });
      if (r.status === 401) { location.href = '/sign-in'; return; }
    } catch (e) { /* the server is down: try again */ }
    setTimeout(connect, 1000);
  }
  function connect() {
    opened = false;
    const query = view ? location.search : '?view=supervisor';
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    ws = new WebSocket(`${scheme}://${location.host}/ws${query}`);
    ws.onopen = () => {
      opened = true;
      $('connection').textContent = 'live';
      $('connection').classList.add('live');
    };
    ws.onclose = (e) => {
      window.patterDesk.closes.push({ code: e.code, reason: e.reason, at: Date.now() });
      $('connection').classList.remove('live');
      if (e.code === 1008) {  // refused: not this person's view, or too many pages
        $('connection').textContent = 'refused';
        $('app').replaceChildren(el('p', { text: `The server refused this page: ${e.reason}. ` },
                                    el('a', { href: '/', text: 'Your page' })));
        return;
      }
      $('connection').textContent = 'reconnecting…';
      if (!opened) return lostBeforeOpen();
      setTimeout(connect, 1000);
    };
    ws.onmessage = (e) => receive(JSON.parse(e.data));
  }
  function send(command) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(command));
    else toast('not connected');
  }

  // ---- messages into state ---------------------------------------------------------

  const dirty = { all: false, calls: new Set(), summary: false, training: false };
  const stamps = [];
  let frameAsked = false;

  function receive(m) {
    latency.messages++;
    switch (m.type) {
      case 'snapshot': snapshot(m); break;
      case 'call': putCall(m.call); break;
      case 'line': putLine(m.call, m); break;
      case 'assist': {
        const c = state.calls.get(m.call);
        if (c) {
          c.assist = m.assist;
          dirty.calls.add(c.id);
        }
        break;
      }
      case 'summary': state.summary = m.summary; dirty.summary = true; break;
      case 'training': state.training = m.training; dirty.training = true; break;
      case 'refused': toast(m.text); break;
    }
    if (m.ts && m.type !== 'snapshot') stamps.push(m.ts);
    if (!frameAsked) {
      frameAsked = true;
      requestAnimationFrame(frame);
    }
  }

  function frame() {
    frameAsked = false;
    render();
    const now = performance.timeOrigin + performance.now();
    for (const ts of stamps) {
      if (latency.samples.length >= latency.max) latency.samples.shift();
      latency.samples.push(now - ts);
    }
    stamps.length = 0;
  }

  function snapshot(m) {
    state.hello = m.hello;
    state.signedIn = m.signed_in;
    state.calls.clear();
    state.byRobot.clear();
    for (const c of m.calls) {
      c.lines = c.lines || [];
      c.lineCount = c.lines.length;
      c.assist = c.assist || null;
      state.calls.set(c.id, c);
      state.byRobot.set(robotKey(c), c.id);
    }
    state.summary = m.summary;
    state.training = m.training || null;
    dirty.all = true;
  }

  function putCall(c) {
    let call = state.calls.get(c.id);
    if (!call) {
      const key = robotKey(c);
      const prev = state.byRobot.get(key);
      if (prev !== undefined && prev > c.id) return;  // an old call's late news
      if (prev !== undefined) state.calls.delete(prev);
      state.byRobot.set(key, c.id);
      call = { lines: [], lineCount: 0, assist: null };
      state.calls.set(c.id, call);
    }
    Object.assign(call, c);
    dirty.calls.add(c.id);
  }

  function putLine(id, line) {
    const c = state.calls.get(id);
    if (!c) return;
    c.lines.push({ who: line.who, text: line.text, intent: line.intent, at: line.at });
    if (c.lines.length > 200) c.lines.shift();
    c.lineCount++;
    dirty.calls.add(id);
  }

  // ---- drawing ---------------------------------------------------------------------

  const cards = new Map();  // "agent/robot" -> card widgets

  function render() {
    if (!state.hello) return;
    if (dirty.all) {
      build();
      dirty.all = false;
      dirty.summary = dirty.training = true;
      for (const id of state.calls.keys()) dirty.calls.add(id);
    }
    if (dirty.calls.size) {
      for (const id of dirty.calls) {
        const c = state.calls.get(id);
        if (c) drawCall(c);
      }
      dirty.calls.clear();
      drawAlerts();
    }
    if (dirty.summary && state.summary) {
      drawSummary();
      dirty.summary = false;
    }
    if (dirty.training) {
      drawTraining();
      dirty.training = false;
    }
  }

  function build() {
    const h = state.hello;
    document.title = `patter web desk: ${view || 'views'}`;
    $('title').textContent = `${h.script.title} (${h.script.locale}), speed ×${h.speed}`;
    $('who').textContent = `${state.signedIn}: ${view}${me ? ' ' + me : ''}`;
    cards.clear();
    alerts.clear();
    const app = $('app');
    if (view === 'agent') return app.replaceChildren(agentPage());
    if (view === 'trainee') return app.replaceChildren(traineePage());
    app.replaceChildren(supervisorPage());
  }

  // ---- agent -----------------------------------------------------------------------

  function agentPage() {
    const grid = el('div', { class: 'cards', id: 'cards' });
    for (let r = 1; r <= state.hello.robots_per_agent; r++) grid.append(makeCard(me, r, true).root);
    return el('div', {},
      el('section', { class: 'alerts', id: 'alerts', 'data-test': 'alerts' }),
      el('div', { class: 'layout' },
        grid,
        el('aside', {},
          el('section', {}, el('h2', { text: 'You' }), el('div', { id: 'me' })),
          queuePanel())));
  }

  function queuePanel() {
    return el('section', {},
      el('h2', { text: 'Waiting for anyone' }),
      el('div', { id: 'queue' }),
      el('button', { id: 'take-next', 'data-test': 'take-next', class: 'secondary', text: 'Take the next call',
                     onclick: () => send({ cmd: 'take_next' }) }));
  }

  // A card shows one robot's current call. `acts`: the viewer may grab and talk.
  function makeCard(agent, robot, acts) {
    const w = { agent, robot, acts, call: 0, shown: 0 };
    w.title = el('span');
    w.phase = el('span', { class: 'phase' });
    w.node = el('span');
    w.meter = el('meter', { min: 0, max: 100 });
    w.score = el('span', { class: 'score' });
    w.grade = el('span', { class: 'grade' });
    w.hot = el('span', { class: 'hotflag' });
    w.intents = el('div', { class: 'intents', 'data-test': 'intents' });
    w.transcript = el('ol', { class: 'transcript', 'data-test': 'transcript' });
    w.grab = el('button', { 'data-test': 'grab', text: 'Grab', onclick: () => send({ cmd: 'grab', call: w.call }) });
    w.state = el('span', { class: 'muted' });
    w.actions = el('div', { class: 'actions' }, acts ? w.grab : null, w.state);
    w.console = consoleFor(w);
    w.root = el('article', { class: 'card', 'data-test': 'call-card', 'data-agent': agent, 'data-robot': robot },
      el('header', {}, w.title, w.phase),
      el('div', { class: 'meta' }, w.node, w.score, w.meter, w.grade, w.hot),
      w.intents, w.transcript, w.actions, w.console.root);
    // Until its robot dials.
    w.title.textContent = `robot ${robot}`;
    w.phase.textContent = 'idle';
    w.grab.disabled = true;
    w.state.textContent = agent === me && view === 'trainee' ? 'dials when you start training' : 'not dialing yet';
    cards.set(agent + '/' + robot, w);
    return w;
  }

  // What the person on the call works with: the script's suggestions, a
  // reply box, hand back at a node, end with an outcome.
  function consoleFor(w) {
    const c = {};
    c.suggestions = el('ul', { class: 'suggestions', 'data-test': 'suggestions' });
    c.text = el('textarea', { 'data-test': 'reply-text', placeholder: 'What you say to the customer' });
    c.node = el('select', { 'data-test': 'handback-node', 'aria-label': 'node to hand back at' });
    for (const n of state.hello.nodes) {
      const note = n.kind === 'hangup' ? ' (ends the call)' : n.kind === 'escalate' ? ' (escalates)' : '';
      c.node.append(el('option', { value: n.name, text: n.name + note }));
    }
    c.reason = el('select', { 'data-test': 'end-reason', 'aria-label': 'outcome' });
    for (const r of state.hello.reasons) c.reason.append(el('option', { value: r, text: r.replace('_', ' ') }));
    const reply = () => {
      const text = c.text.value.trim();
      if (!text) return;
      send({ cmd: 'reply', call: w.call, text });
      c.text.value = '';
    };
    c.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        reply();
      }
    });
    c.root = el('div', { class: 'console', hidden: true },
      el('h4', { text: 'Suggested lines' }), c.suggestions, c.text,
      el('div', { class: 'row' }, el('button', { 'data-test': 'send', text: 'Send', onclick: reply })),
      el('div', { class: 'row' }, c.node,
        el('button', { class: 'secondary', 'data-test': 'hand-back', text: 'Hand back',
                       onclick: () => send({ cmd: 'hand_back', call: w.call, node: c.node.value }) })),
      el('div', { class: 'row' }, c.reason,
        el('button', { class: 'secondary', 'data-test': 'end', text: 'End call',
                       onclick: () => send({ cmd: 'end', call: w.call, reason: c.reason.value }) })));
    c.shownAssist = null;
    return c;
  }

  function cardFor(c) {
    let w = cards.get(robotKey(c));
    if (w) return w;
    // A call taken from another agent's robot (the queue): a card of its own.
    if ((view === 'agent' || view === 'trainee') && c.with === me && $('cards')) {
      w = makeCard(c.agent, c.robot, true);
      w.extra = true;
      $('cards').append(w.root);
      return w;
    }
    return null;
  }

  function drawCall(c) {
    if (view === 'supervisor') return drawTile(c);
    const w = cardFor(c);
    if (!w) return;
    if (w.call !== c.id) {
      if (w.call > c.id) return;
      w.call = c.id;
      w.shown = 0;
      w.transcript.replaceChildren();
      w.console.text.value = '';
      w.console.shownAssist = null;
      w.console.node.value = '';
    }
    w.root.dataset.call = c.id;
    w.root.dataset.phase = c.phase;
    const mine = c.with === me && c.phase !== 'ended';
    w.root.classList.toggle('hot', !!c.hot && c.phase === 'robot');
    w.root.classList.toggle('waiting', c.waiting && !c.with);
    w.root.classList.toggle('mine', mine);
    w.title.textContent = `${c.agent === me || !w.extra ? '' : c.agent + ' '}robot ${c.robot} · call #${c.id}${c.persona ? ' · ' + c.persona : ''}${c.training ? ' · training' : ''}`;
    const phase = c.phase === 'ended' ? `ended: ${c.hangup.replace('_', ' ')}` :
                  c.with ? `with ${c.with}` : c.waiting ? `waiting: ${c.reason}` : c.phase;
    w.phase.textContent = phase;
    w.phase.className = 'phase ' + (c.phase === 'ended' ? 'ended' : c.with ? 'human' : c.waiting ? 'waiting' : 'robot');
    w.node.textContent = c.node ? `at ${c.node}` : '';
    w.score.textContent = `score ${Math.round(c.score)}`;
    w.meter.value = Math.max(0, Math.min(100, c.score));
    w.grade.textContent = `grade ${c.grade}`;
    w.hot.textContent = c.hot && c.phase === 'robot' ? 'hot lead' : '';
    if (w.intents.childElementCount !== c.intents.length)
      w.intents.replaceChildren(...c.intents.map((i) => el('span', { class: 'chip', text: i })));
    // New transcript lines only.
    const fresh = Math.min(c.lineCount - w.shown, c.lines.length);
    if (fresh > 0) {
      for (const l of c.lines.slice(c.lines.length - fresh)) {
        w.transcript.append(el('li', { class: l.who },
          el('span', { class: 'who', text: l.who === 'agent' ? 'person' : l.who }),
          l.text, l.intent ? el('span', { class: 'chip', text: l.intent }) : null));
      }
      while (w.transcript.childElementCount > 200) w.transcript.firstChild.remove();
      w.shown = c.lineCount;
      w.transcript.scrollTop = w.transcript.scrollHeight;
    }
    const canGrab = w.acts && !c.with && (c.phase === 'robot' || c.phase === 'waiting');
    w.grab.disabled = !canGrab;
    w.grab.textContent = c.waiting ? 'Grab (waiting)' : 'Grab';
    w.state.textContent = c.phase === 'ended' ? `grade ${c.grade}, ${c.outcome}` : '';
    drawConsole(w, c, mine && w.acts);
  }

  function drawConsole(w, c, open) {
    const k = w.console;
    k.root.hidden = !open;
    if (!open) return;
    if (!k.node.value) k.node.value = c.node;
    // Redrawn only when the suggestions change, not on every update: a
    // button replaced under the pointer would take the click of another.
    const shown = JSON.stringify(c.assist ?? null);
    if (k.shownAssist === shown) return;
    k.shownAssist = shown;
    const lines = c.assist ? c.assist.lines : [];
    k.suggestions.replaceChildren(...lines.map((s) => el('li', {},
      el('button', { class: 'suggestion', 'data-test': 'suggestion', 'data-node': s.node, text: s.text,
                     title: `the script's line at ${s.node}`,
                     onclick: () => {
                       k.text.value = s.text;
                       k.node.value = s.node;
                       k.text.focus();
                     } }))));
    if (!lines.length)
      k.suggestions.append(el('li', { class: 'muted', text: c.assist && c.assist.heard ? 'no line for that: answer in your own words' : 'the customer has said nothing yet' }));
  }

  // One alert per escalated call of the viewer's robots, kept (not redrawn)
  // while the call waits, so a click never lands on a replaced button.
  const alerts = new Map();  // call id -> { root, text }
  function drawAlerts() {
    const box = $('alerts');
    if (!box) return;
    const now = state.summary ? state.summary.sim_ms : 0;
    const live = new Set();
    for (const w of cards.values()) {
      const c = state.calls.get(w.call);
      if (!c || !w.acts || !c.waiting || c.with || c.phase === 'ended') continue;
      live.add(c.id);
      let a = alerts.get(c.id);
      if (!a) {
        a = { text: el('span', { class: 'grow' }) };
        a.root = el('div', { class: 'alert', 'data-test': 'alert', 'data-call': c.id },
          el('strong', { text: `Call #${c.id} escalated` }), a.text,
          el('button', { 'data-test': 'alert-grab', text: 'Grab', onclick: () => send({ cmd: 'grab', call: c.id }) }));
        alerts.set(c.id, a);
        box.append(a.root);
      }
      a.text.textContent = ` robot ${c.robot}: ${c.reason.replace(/_/g, ' ')}, score ${Math.round(c.score)}, grade ${c.grade}` +
                           (c.escalated_at && now >= c.escalated_at ? `, waiting ${seconds(now - c.escalated_at)}` : '');
    }
    for (const [id, a] of alerts) {
      if (live.has(id)) continue;
      a.root.remove();
      alerts.delete(id);
    }
  }

  function drawSummary() {
    const s = state.summary;
    $('clock').textContent = 'sim ' + clock(s.sim_ms);
    if (view === 'supervisor') return drawSupervisor(s);
    if (!view) return;
    drawAlerts();
    const q = $('queue');
    if (q) {
      q.replaceChildren(s.queue.length ? table(['call', 'robot of', 'why', 'waiting'],
        s.queue.map((e) => [`#${e.call}`, e.agent, e.reason.replace(/_/g, ' '), seconds(e.waited_ms)])) :
        el('p', { class: 'muted', text: 'nobody is waiting' }));
    }
    const mine = s.people.find((p) => p.name === me);
    const take = $('take-next');
    if (take) take.disabled = !s.queue.length || (mine && mine.talking !== 0);
    const box = $('me');
    if (box && mine) {
      box.replaceChildren(
        el('p', { text: mine.talking ? `on call #${mine.talking}` : 'free: your robots are dialing' }),
        el('p', { class: 'muted', text: `${mine.robots} robots on calls · ${mine.calls} calls · ${mine.grabs} taken · ${mine.hand_backs} handed back` }));
    }
  }

  function table(head, rows, numeric) {
    const num = new Set(numeric || []);
    return el('table', {},
      el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { class: num.has(i) ? 'num' : null, text: h })))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((v, i) =>
        el('td', { class: num.has(i) ? 'num' : null }, v instanceof Node ? v : String(v)))))));
  }

  // ---- trainee ---------------------------------------------------------------------

  function traineePage() {
    const h = state.hello;
    // Whom a trainee follows is their account's: the server refuses any other.
    const pick = el('span', { 'data-test': 'follow', text: follow || 'nobody' });
    const listening = el('div', { class: 'cards', id: 'follow-cards' });
    if (follow) for (let r = 1; r <= h.robots_per_agent; r++) listening.append(makeCard(follow, r, false).root);
    const mine = el('div', { class: 'cards', id: 'cards' });
    for (let r = 1; r <= h.robots_per_agent; r++) mine.append(makeCard(me, r, true).root);
    return el('div', {},
      el('section', {},
        el('h2', {}, 'Listening in on ', pick, el('span', { class: 'muted', text: ' (read-only: you hear the calls, the agent acts)' })),
        listening),
      el('section', {},
        el('h2', { text: 'Training' }),
        el('p', { class: 'muted', text: `Your own robots call ${h.training_calls} simulated customers. Grab a call when you think a person is needed; each decision is compared with the point where the script escalates.` }),
        el('button', { id: 'start-training', 'data-test': 'start-training', text: 'Start training', onclick: () => send({ cmd: 'start_training' }) }),
        el('section', { class: 'alerts', id: 'alerts', 'data-test': 'alerts' }),
        mine,
        el('h2', { text: 'Your decisions' }),
        el('div', { id: 'decisions', 'data-test': 'decisions' }),
        el('div', { id: 'assessment', 'data-test': 'assessment' })));
  }

  function drawTraining() {
    const t = state.training;
    const box = $('decisions');
    if (!box || !t) return;
    const start = $('start-training');
    if (start) {
      start.disabled = t.running;
      start.textContent = t.running ? `Training: ${t.dialed} of ${t.target} calls dialed` : 'Start training';
    }
    box.replaceChildren(t.decisions.length ? table(['call', 'verdict', 'offset'],
      t.decisions.map((d) => [`#${d.call}`, el('span', { class: 'verdict-' + d.verdict, text: d.verdict.replace('_', ' ') }),
                              (d.offset_ms / 1000).toFixed(1) + ' s'])) :
      el('p', { class: 'muted', text: 'none yet' }));
    const a = t.assessment;
    $('assessment').replaceChildren(a ? el('div', { class: 'assessment' },
      el('strong', { text: `Assessment: ${Math.round(a.score * 100)}% on time` }),
      ` (${a.on_time} on time, ${a.early} early, ${a.late} late, ${a.missed} missed, ${a.needless} needless; mean offset ${(a.mean_offset_ms / 1000).toFixed(1)} s)`) : '');
  }

  // ---- supervisor ------------------------------------------------------------------

  const tiles = new Map();  // "agent/robot" -> tile

  function supervisorPage() {
    tiles.clear();
    return el('div', { class: 'supervisor' },
      el('section', { class: 'wide' }, el('h2', { text: 'Desk' }), el('div', { class: 'counters', id: 'counters' })),
      el('section', {}, el('h2', { text: 'Queue' }), el('div', { id: 'queue' })),
      el('section', {}, el('h2', { text: 'Live funnel' }), el('div', { id: 'funnel' })),
      el('section', {}, el('h2', { text: 'People' }), el('div', { id: 'people' })),
      el('section', {}, el('h2', { text: 'Calls now' }), el('div', { class: 'wall', id: 'wall', 'data-test': 'wall' })));
  }

  function drawTile(c) {
    const wall = $('wall');
    if (!wall) return;
    const key = robotKey(c);
    let t = tiles.get(key);
    if (!t) {
      t = { root: el('div', { class: 'tile', 'data-test': 'tile' }), head: el('div'), last: el('div', { class: 'last' }), id: 0 };
      t.root.append(t.head, t.last);
      tiles.set(key, t);
      wall.append(t.root);
    }
    if (t.id > c.id) return;
    t.id = c.id;
    t.root.dataset.call = c.id;
    t.root.className = 'tile ' + (c.phase === 'ended' ? 'ended' : c.with ? 'human' : c.waiting ? 'waiting' : '');
    const where = c.phase === 'ended' ? c.hangup : c.with ? `with ${c.with}` : c.waiting ? `waiting (${c.reason})` : c.node || c.phase;
    t.head.textContent = `${c.agent}/${c.robot} #${c.id} · ${where} · ${Math.round(c.score)} · ${c.grade}`;
    t.last.textContent = c.last ? `${c.last.who}: ${c.last.text}` : '';
  }

  function drawSupervisor(s) {
    const c = s.counters;
    const counter = (label, v) => el('div', {}, el('b', { text: String(v) }), label);
    $('counters').replaceChildren(counter('calls opened', c.opened), counter('ended', c.ended),
      counter('escalations', c.raised), counter('taken by people', c.taken), counter('gave up waiting', c.gave_up),
      counter('ended while waiting', c.ended_waiting), counter('grabs', c.grabs), counter('waiting now', s.queue.length));
    $('queue').replaceChildren(s.queue.length ? table(['call', 'robot of', 'why', 'score', 'waiting'],
      s.queue.map((e) => [`#${e.call}`, e.agent, e.reason.replace(/_/g, ' '), Math.round(e.score), seconds(e.waited_ms)]), [3, 4]) :
      el('p', { class: 'muted', text: 'nobody is waiting' }));
    $('people').replaceChildren(table(['person', 'robots', 'on call', 'escalations', 'grabs', 'handed back', 'time to take'],
      s.people.map((p) => [p.name + (p.trainee ? ' (trainee)' : '') + (p.at_desk ? ' ●' : ''), p.robots,
                           p.talking ? `#${p.talking}` : '', p.escalations, p.grabs, p.hand_backs,
                           p.mean_take_ms ? seconds(p.mean_take_ms) : '']), [1, 3, 4, 5, 6]));
    const f = s.funnel;
    const base = Math.max(1, f.answered);
    const rows = f.rows.filter((r) => r.reached).map((r) => [r.node, r.reached,
      el('span', {}, el('span', { class: 'bar', style: `width:${Math.round(80 * r.reached / base)}px` }), ` ${(100 * r.reached / base).toFixed(0)}%`),
      r.hung_up, r.escalated, r.converted]);
    $('funnel').replaceChildren(
      el('p', { text: `${f.calls} calls ended, ${f.answered} answered, ${f.converted} converted (grade ${f.converted_grades})` }),
      table(['node', 'reached', '', 'hung up', 'escalated', 'converted'], rows, [1, 3, 4, 5]),
      el('p', { class: 'muted', text: 'grades: ' + f.grades.map(([g, n]) => `${g} ${n}`).join(' · ') +
                                       ' — outcomes: ' + f.outcomes.filter(([, n]) => n).map(([o, n]) => `${o.replace(/_/g, ' ')} ${n}`).join(' · ') }));
  }

  connect();
})();
