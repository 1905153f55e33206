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
// Every visible label goes through t() (labels.js), in the script's
// locale. When a call of the viewer's escalates the page beeps (WebAudio,
// once a click or key has allowed sound), flashes its title and raises a
// desktop notification (asked for on the Turn on alerts click; nothing when
// denied); window.patterDesk.alarm.raised records each. Waiting calls are
// coloured by how long they have waited (hello.sla_amber_ms, sla_red_ms).
// Keys: g grab, n take next, r reply box, Ctrl+Enter send, h hand back,
// ? the list (none but Ctrl+Enter while typing).
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
    history: {},         // person -> [[at, calls, taken, converted, talk_ms], ...]
    calls: new Map(),    // id -> call (with lines, lineCount, assist)
    byRobot: new Map(),  // "agent/robot" -> the robot's latest call id
    summary: null,
    training: null,
  };
  const latency = { samples: [], max: 20000, messages: 0 };
  const alarm = { raised: [], audio: null, flashing: null };
  const untranslated = new Set();
  window.patterDesk = { state, view, name: me, follow, closes: [], alarm, untranslated };
  window.patterLatency = latency;

  // ---- words ---------------------------------------------------------------------

  const LABELS = window.patterLabels || { 'en-US': {} };
  let lang = 'en-US';
  function t(key, ...args) {
    let s = LABELS[lang] && LABELS[lang][key];
    if (s === undefined) {
      if (lang !== 'en-US') untranslated.add(key);
      s = LABELS['en-US'][key];
    }
    if (s === undefined) s = key;
    return s.replace(/\{(\d)\}/g, (_, i) => (args[i] === undefined ? '' : String(args[i])));
  }
  // A word the server sends (a reason, an outcome): its label, else itself, readable.
  function word(kind, id) {
    if (!id) return '';
    const key = kind + '.' + id;
    if (LABELS[lang] && LABELS[lang][key] !== undefined) return LABELS[lang][key];
    if (LABELS['en-US'][key] !== undefined) {
      if (lang !== 'en-US') untranslated.add(key);
      return LABELS['en-US'][key];
    }
    return id.replace(/_/g, ' ');
  }
  window.patterDesk.t = t;
  // A refusal in the page's language: by its label, or by its English
  // sentence when the table has it (those quoting what was sent stay as sent).
  function refusal(m) {
    if (m.label) return t(m.label, m.arg);
    const words = LABELS[lang] && LABELS[lang]['refused.' + m.text];
    return words || m.text;
  }

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
  const seconds = (ms) => (ms / 1000).toFixed(0) + (lang === 'zh-CN' ? ' 秒' : ' s');
  function duration(ms) {
    const s = Math.round(ms / 1000);
    if (s < 60) return seconds(ms);
    const m = Math.floor(s / 60);
    return lang === 'zh-CN' ? `${m} 分 ${s % 60} 秒` : `${m} min ${s % 60} s`;
  }
  // How late a waiting call is: green, amber, red (the server's thresholds).
  function sla(waitedMs) {
    const h = state.hello;
    if (!h || waitedMs < h.sla_amber_ms) return 'green';
    return waitedMs < h.sla_red_ms ? 'amber' : 'red';
  }
  const simNow = () => (state.summary ? state.summary.sim_ms : 0);
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
      $('connection').textContent = t('live');
      $('connection').classList.add('live');
    };
    ws.onclose = (e) => {
      window.patterDesk.closes.push({ code: e.code, reason: e.reason, at: Date.now() });
      $('connection').classList.remove('live');
      if (e.code === 1008) {  // refused: not this person's view, or too many pages
        $('connection').textContent = t('refused');
        $('app').replaceChildren(el('p', { text: t('page refused', e.reason) },
                                    el('a', { href: '/', text: t('your page') })));
        return;
      }
      $('connection').textContent = t('reconnecting');
      if (!opened) return lostBeforeOpen();
      setTimeout(connect, 1000);
    };
    ws.onmessage = (e) => receive(JSON.parse(e.data));
  }
  function send(command) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(command));
    else toast(t('not connected'));
  }

  // ---- messages into state ---------------------------------------------------------

  const dirty = { all: false, calls: new Set(), summary: false, training: false };
  const handoffs = new Map();  // call id -> the handoff summary of a call not shown yet
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
      case 'handoff': {
        const c = state.calls.get(m.call);
        if (c) {
          c.handoff = m.handoff;
          dirty.calls.add(c.id);
        } else {
          handoffs.set(m.call, m.handoff);  // a call given to the viewer: its news comes next
        }
        break;
      }
      case 'watch': {
        putCall(m.call);
        const c = state.calls.get(m.call.id);
        if (c) {
          c.lines = m.call.lines || [];
          c.lineCount = c.lines.length;
          c.notes = m.notes || [];
        }
        break;
      }
      case 'notes': {
        const c = state.calls.get(m.call);
        if (c) {
          c.notes = m.notes;
          dirty.calls.add(c.id);
        }
        break;
      }
      case 'summary': state.summary = m.summary; addSample(m.summary); dirty.summary = true; break;
      case 'training': state.training = m.training; dirty.training = true; break;
      case 'refused': toast(refusal(m)); break;
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
    state.history = m.history || {};
    state.training = m.training || null;
    lang = /^zh/i.test(m.hello.script.locale || '') ? 'zh-CN' : 'en-US';
    document.documentElement.lang = lang;
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
      call = { lines: [], lineCount: 0, assist: null, handoff: null, notes: [] };
      state.calls.set(c.id, call);
    }
    Object.assign(call, c);
    if (handoffs.has(c.id)) {
      call.handoff = handoffs.get(c.id);
      handoffs.delete(c.id);
    }
    dirty.calls.add(c.id);
  }

  function putLine(id, line) {
    const c = state.calls.get(id);
    if (!c) return;
    c.lines.push({ who: line.who, text: line.text, intent: line.intent, at: line.at, key: line.key, arg: line.arg,
                   by: line.by });
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
      if (view === 'supervisor') drawSupervise();
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
    document.title = baseTitle();
    $('app-name').textContent = t('app');
    $('title').textContent = t('title', h.script.title, h.script.locale, h.speed);
    $('who').textContent = t('who', state.signedIn, t('view.' + view) + (me ? ' ' + me : ''));
    $('clock').title = t('sim clock hint');
    $('sign-out').textContent = t('sign out');
    if (ws && ws.readyState === WebSocket.OPEN) $('connection').textContent = t('live');
    buildHeaderButtons();
    if (view === 'agent' || view === 'trainee') unlockSound();  // running where the browser allows it unasked
    cards.clear();
    alerts.clear();
    const app = $('app');
    if (view === 'agent') return app.replaceChildren(agentPage());
    if (view === 'trainee') return app.replaceChildren(traineePage());
    app.replaceChildren(supervisorPage());
  }
  const baseTitle = () => t('doc title', t('view.' + (view || 'supervisor')));

  // ---- alerts: sound, title, desktop notification -----------------------------------

  // Sound needs a click or a key first (browsers' autoplay rule); any will do.
  function unlockSound() {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try {
      if (!alarm.audio) alarm.audio = new Ctx();
      if (alarm.audio.state === 'suspended') alarm.audio.resume();
    } catch (e) { /* no audio device: silence */ }
  }
  document.addEventListener('pointerdown', unlockSound, true);
  document.addEventListener('keydown', unlockSound, true);

  function enableAlerts() {
    unlockSound();
    if (!('Notification' in window) || Notification.permission !== 'default') return drawAlertButton();
    const asked = Notification.requestPermission(drawAlertButton);
    if (asked && asked.then) asked.then(drawAlertButton, drawAlertButton);
  }
  function drawAlertButton() {
    const b = $('enable-alerts');
    const permission = 'Notification' in window ? Notification.permission : 'denied';
    const sound = alarm.audio && alarm.audio.state === 'running';
    b.textContent = permission === 'granted' ? t('alerts on') : permission === 'denied' && sound ? t('alerts denied') : t('alerts off');
    b.dataset.permission = permission;
    b.title = t('alerts hint');
  }

  // Two short tones, made on the spot: no sound file to fetch.
  function beep() {
    const ctx = alarm.audio;
    if (!ctx || ctx.state !== 'running') return false;
    const now = ctx.currentTime;
    for (const [at, freq] of [[0, 880], [0.18, 660]]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + at);
      gain.gain.exponentialRampToValueAtTime(0.25, now + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.15);
      osc.connect(gain).connect(ctx.destination);
      osc.start(now + at);
      osc.stop(now + at + 0.16);
    }
    return true;
  }

  function notify(c) {
    if (!('Notification' in window) || Notification.permission !== 'granted') return false;
    try {
      const n = new Notification(t('notify title', c.id),
        { body: t('notify body', c.robot, word('reason', c.reason), Math.round(c.score)), tag: 'patter-call-' + c.id });
      n.onclick = () => { window.focus(); n.close(); };
      return true;
    } catch (e) {
      return false;  // some browsers allow notifications from a service worker only
    }
  }

  // The title alternates while any alert of the viewer's is up.
  function flashTitle() {
    if (alarm.flashing) return;
    let on = false;
    alarm.flashing = setInterval(() => {
      const first = alerts.keys().next();
      if (first.done) {
        clearInterval(alarm.flashing);
        alarm.flashing = null;
        document.title = baseTitle();
        return;
      }
      on = !on;
      document.title = on ? t('flash', first.value) : baseTitle();
    }, 700);
    document.title = t('flash', alerts.keys().next().value);
  }

  function raiseAlert(c) {
    const sound = beep();
    const notification = notify(c);
    alarm.raised.push({ call: c.id, at: Date.now(), sound, notification, title: t('flash', c.id) });
    flashTitle();
  }

  // ---- keyboard shortcuts ----------------------------------------------------------

  const KEYS = [['G', 'key.grab'], ['N', 'key.next'], ['R', 'key.reply'], ['Ctrl+Enter', 'key.send'],
                ['H', 'key.hand back'], ['?', 'key.help'], ['Esc', 'key.escape']];

  function buildHeaderButtons() {
    const acts = view === 'agent' || view === 'trainee';
    const alertsButton = $('enable-alerts');
    alertsButton.hidden = !acts;
    alertsButton.onclick = enableAlerts;
    drawAlertButton();
    const help = $('help');
    help.hidden = !acts;
    help.textContent = t('help');
    help.onclick = toggleKeys;
    $('keys').replaceChildren(el('div', { class: 'panel' },
      el('h2', { text: t('shortcuts') }),
      el('table', {}, el('tbody', {}, ...KEYS.map(([k, what]) =>
        el('tr', {}, el('td', {}, el('kbd', { text: k })), el('td', { text: t(what) }))))),
      el('p', { class: 'muted', text: t('keys typing') }),
      el('button', { class: 'secondary', text: t('close'), onclick: toggleKeys })));
  }
  function toggleKeys() {
    $('keys').hidden = !$('keys').hidden;
  }

  // The card of the call the viewer is on.
  function myCard() {
    for (const w of cards.values()) {
      const c = state.calls.get(w.call);
      if (c && w.acts && c.with === me && !c.stand_in && c.phase !== 'ended') return w;
    }
    return null;
  }
  // The call to grab: the one waiting longest, else the hottest of the viewer's robots'.
  function callToGrab() {
    let best = null;
    for (const w of cards.values()) {
      const c = state.calls.get(w.call);
      if (!c || !w.acts || c.with || c.phase === 'ended' || c.phase === 'dialing') continue;
      const rank = c.waiting ? [1, -c.escalated_at] : [0, c.score];
      if (!best || rank[0] > best.rank[0] || (rank[0] === best.rank[0] && rank[1] > best.rank[1])) best = { c, rank };
    }
    return best && (best.rank[0] === 1 || best.c.hot) ? best.c : null;
  }

  function shortcut(e) {
    if (view !== 'agent' && view !== 'trainee') return;
    const target = e.target;
    const typing = target && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' ||
                              target.tagName === 'SELECT' || target.isContentEditable);
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      const w = myCard();
      if (w) {
        e.preventDefault();
        w.console.reply();
      }
      return;
    }
    if (e.key === 'Escape') {
      if (!$('keys').hidden) toggleKeys();
      else if (typing) target.blur();
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    if (e.key === '?') toggleKeys();
    else if (k === 'g') {
      const c = callToGrab();
      if (c) send({ cmd: 'grab', call: c.id });
    } else if (k === 'n') send({ cmd: 'take_next' });
    else if (k === 'r') {
      const w = myCard();
      if (w) w.console.text.focus();
    } else if (k === 'h') {
      const w = myCard();
      if (w) w.console.handBack();
    } else return;
    e.preventDefault();
  }
  document.addEventListener('keydown', shortcut);

  // ---- agent -----------------------------------------------------------------------

  function agentPage() {
    const grid = el('div', { class: 'cards', id: 'cards' });
    for (let r = 1; r <= state.hello.robots_per_agent; r++) grid.append(makeCard(me, r, true).root);
    return el('div', {},
      el('section', { class: 'alerts', id: 'alerts', 'data-test': 'alerts' }),
      el('div', { class: 'layout' },
        grid,
        el('aside', {},
          el('section', {}, el('h2', { text: t('you') }), el('div', { id: 'me' })),
          el('section', {}, el('h2', { text: t('figures') }), el('div', { id: 'figures', 'data-test': 'figures' })),
          el('section', {}, el('h2', { text: t('chart'), title: t('chart hint') }), el('div', { id: 'chart' })),
          queuePanel())));
  }

  function queuePanel() {
    return el('section', {},
      el('h2', { text: t('waiting for anyone') }),
      el('div', { id: 'queue' }),
      el('button', { id: 'take-next', 'data-test': 'take-next', class: 'secondary', text: t('take next') + ' (N)',
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
    w.grab = el('button', { 'data-test': 'grab', text: t('grab'), title: 'G', onclick: () => send({ cmd: 'grab', call: w.call }) });
    w.state = el('span', { class: 'muted' });
    w.actions = el('div', { class: 'actions' }, acts ? w.grab : null, w.state);
    w.console = consoleFor(w);
    w.root = el('article', { class: 'card', 'data-test': 'call-card', 'data-agent': agent, 'data-robot': robot },
      el('header', {}, w.title, w.phase),
      el('div', { class: 'meta' }, w.node, w.score, w.meter, w.grade, w.hot),
      w.intents, w.transcript, w.actions, w.console.root);
    // Until its robot dials.
    w.title.textContent = t('robot n', robot);
    w.phase.textContent = t('idle');
    w.grab.disabled = true;
    w.state.textContent = agent === me && view === 'trainee' ? t('dials when training') : t('not dialing');
    cards.set(agent + '/' + robot, w);
    return w;
  }

  // What the person on the call works with: the handoff summary, the
  // script's suggestions, a reply box, hand back at a node, end with an outcome.
  function consoleFor(w) {
    const c = {};
    c.handoff = el('div', { class: 'handoff', 'data-test': 'handoff' });
    c.whispers = el('ul', { class: 'whispers', 'data-test': 'whispers' });
    c.suggestions = el('ul', { class: 'suggestions', 'data-test': 'suggestions' });
    c.text = el('textarea', { 'data-test': 'reply-text', placeholder: t('reply placeholder') + ' (R)' });
    c.node = el('select', { 'data-test': 'handback-node', 'aria-label': t('node to hand back') });
    for (const n of state.hello.nodes) {
      const note = n.kind === 'hangup' ? t('ends the call') : n.kind === 'escalate' ? t('escalates') : '';
      c.node.append(el('option', { value: n.name, text: n.name + note }));
    }
    c.reason = el('select', { 'data-test': 'end-reason', 'aria-label': t('outcome') });
    for (const r of state.hello.reasons) c.reason.append(el('option', { value: r, text: word('hangup', r) }));
    c.reply = () => {
      const text = c.text.value.trim();
      if (!text) return;
      send({ cmd: 'reply', call: w.call, text });
      c.text.value = '';
    };
    c.handBack = () => send({ cmd: 'hand_back', call: w.call, node: c.node.value });
    c.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        c.reply();
      }
    });
    c.root = el('div', { class: 'console', hidden: true },
      c.handoff, c.whispers,
      el('h4', { text: t('suggested lines') }), c.suggestions, c.text,
      el('div', { class: 'row' }, el('button', { 'data-test': 'send', text: t('send') + ' (Ctrl+Enter)', onclick: c.reply })),
      el('div', { class: 'row' }, c.node,
        el('button', { class: 'secondary', 'data-test': 'hand-back', text: t('hand back') + ' (H)', onclick: c.handBack })),
      el('div', { class: 'row' }, c.reason,
        el('button', { class: 'secondary', 'data-test': 'end', text: t('end call'),
                       onclick: () => send({ cmd: 'end', call: w.call, reason: c.reason.value }) })));
    c.shownAssist = null;
    c.shownHandoff = null;
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

  // A transcript line in the viewer's words: system lines from their key.
  function lineText(l) {
    if (!l.key) return l.text;
    const arg = l.key === 'escalated' ? word('reason', l.arg) : l.key === 'ended' ? word('hangup', l.arg) : l.arg;
    return t('line.' + l.key, arg, l.key === 'whispered' || l.key === 'noted' ? l.text : '');
  }
  const lineClass = (l) => (l.key === 'whispered' ? 'whisper' : l.who === 'supervisor' ? 'by-supervisor' : l.who);
  function whoText(l) {
    if (l.key === 'whispered') return t('who.whisper');
    if (l.who === 'supervisor') return t('who.supervisor') + ' ' + (l.by || '');
    return t('who.' + l.who);
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
      w.console.shownHandoff = null;
      w.console.node.value = '';
    }
    w.root.dataset.call = c.id;
    w.root.dataset.phase = c.phase;
    const mine = c.with === me && !c.stand_in && c.phase !== 'ended';
    w.root.classList.toggle('hot', !!c.hot && c.phase === 'robot');
    w.root.classList.toggle('waiting', c.waiting && !c.with);
    w.root.classList.toggle('mine', mine);
    w.title.textContent = t('card title', c.agent === me || !w.extra ? '' : c.agent + ' ', c.robot, c.id,
                            c.persona ? ' · ' + c.persona : '', c.training ? t('training tag') : '');
    const phase = c.phase === 'ended' ? t('ended as', word('hangup', c.hangup)) :
                  c.with ? (c.stand_in && c.with === me ? t('with stand-in') : t('with', c.with)) :
                  c.waiting ? t('waiting for', word('reason', c.reason)) : t('phase.' + c.phase);
    w.phase.textContent = phase;
    w.phase.className = 'phase ' + (c.phase === 'ended' ? 'ended' : c.with ? 'human' : c.waiting ? 'waiting' : 'robot');
    w.node.textContent = c.node ? t('at node', c.node) : '';
    w.score.textContent = t('score n', Math.round(c.score));
    w.meter.value = Math.max(0, Math.min(100, c.score));
    w.grade.textContent = t('grade n', c.grade);
    w.hot.textContent = c.hot && c.phase === 'robot' ? t('hot lead') : '';
    if (w.intents.childElementCount !== c.intents.length)
      w.intents.replaceChildren(...c.intents.map((i) => el('span', { class: 'chip', text: i })));
    // New transcript lines only.
    const fresh = Math.min(c.lineCount - w.shown, c.lines.length);
    if (fresh > 0) {
      for (const l of c.lines.slice(c.lines.length - fresh)) {
        if (l.key === 'whispered' && !w.acts) continue;  // for the person on the call only
        w.transcript.append(el('li', { class: lineClass(l), 'data-key': l.key || null },
          el('span', { class: 'who', text: whoText(l) }),
          lineText(l), l.intent ? el('span', { class: 'chip', text: l.intent }) : null));
      }
      while (w.transcript.childElementCount > 200) w.transcript.firstChild.remove();
      w.shown = c.lineCount;
      w.transcript.scrollTop = w.transcript.scrollHeight;
    }
    const canGrab = w.acts && !c.with && (c.phase === 'robot' || c.phase === 'waiting');
    w.grab.disabled = !canGrab;
    w.grab.textContent = c.waiting ? t('grab waiting') : t('grab');
    w.state.textContent = c.phase === 'ended' ? t('ended grade', c.grade, word('outcome', c.outcome)) : '';
    drawSla(w.root, c);
    drawConsole(w, c, mine && w.acts);
  }

  function drawSla(node, c) {
    const level = c.waiting && !c.with && c.phase !== 'ended' && c.escalated_at ? sla(Math.max(0, simNow() - c.escalated_at)) : '';
    for (const l of ['green', 'amber', 'red']) node.classList.toggle('sla-' + l, level === l);
    if (level) node.dataset.sla = level;
    else delete node.dataset.sla;
  }

  function drawConsole(w, c, open) {
    const k = w.console;
    k.root.hidden = !open;
    if (!open) return;
    if (!k.node.value) k.node.value = c.node;
    drawHandoff(k, c);
    // Redrawn only when the suggestions change, not on every update: a
    // button replaced under the pointer would take the click of another.
    const shown = JSON.stringify(c.assist ?? null);
    if (k.shownAssist === shown) return;
    k.shownAssist = shown;
    const lines = c.assist ? c.assist.lines : [];
    k.suggestions.replaceChildren(...lines.map((s) => el('li', {},
      el('button', { class: 'suggestion', 'data-test': 'suggestion', 'data-node': s.node, text: s.text,
                     title: t('script line at', s.node),
                     onclick: () => {
                       k.text.value = s.text;
                       k.node.value = s.node;
                       k.text.focus();
                     } }))));
    if (!lines.length)
      k.suggestions.append(el('li', { class: 'muted', text: c.assist && c.assist.heard ? t('no line') : t('nothing yet') }));
  }

  // What the person taking the call needs to know, from the library's
  // handoff summary (patter/handoff.hpp) and the customer's last words here.
  function drawHandoff(k, c) {
    const h = c.handoff;
    const key = JSON.stringify(h ?? null);
    if (k.shownHandoff === key) return;
    k.shownHandoff = key;
    if (!h) return k.handoff.replaceChildren();
    const row = (label, ...value) => el('div', { class: 'hrow' }, el('b', { text: label }), ' ', ...value);
    const values = (o) => Object.entries(o || {}).map(([n, v]) => `${n}=${v}`).join(' · ') || t('h.none');
    let why = h.grabbed ? t('h.grabbed') : word('reason', h.reason);
    if (h.escalated && !h.grabbed) {
      why += ' · ' + t('h.priority', word('priority', h.priority));
      if (h.score_escalated) why += ' · ' + t('h.score reached', Math.round(h.score));
    }
    if (h.node) why += ' · ' + t('h.at', h.node);
    if (h.handler) why += ' · ' + t('h.handler', h.handler);
    const lastWords = [...c.lines].reverse().find((l) => l.who === 'customer' && !l.key);
    const said = h.trigger || (lastWords ? lastWords.text : '');
    k.handoff.replaceChildren(el('h4', { text: t('handoff') }),
      row(t('h.why'), why),
      said ? row(t('h.customer said'), el('q', { 'data-test': 'handoff-said', text: said })) : null,
      row(t('h.call'), t('h.call text', duration(h.duration_ms), seconds(h.waiting_ms), Math.round(h.score), h.grade)),
      row(t('h.customer'), values(h.customer)),
      row(t('h.asked'), h.questions.length ? h.questions.map((q) => q.intent + (q.words ? ` “${q.words}”` : q.times > 1 ? ` ×${q.times}` : '')).join(' · ') : t('h.none')),
      row(t('h.heard'), h.intents.length ? h.intents.map((i) => i.intent + (i.count > 1 ? ` ×${i.count}` : '')).join(' · ') : t('h.none')),
      row(t('h.learned'), values(h.learned)),
      row(t('h.path'), (h.path || []).join(' → ') || t('h.none')),
      h.transcript ? null : el('div', { class: 'muted', text: t('h.no transcript') }));
  }

  // One alert per escalated call of the viewer's robots, kept (not redrawn)
  // while the call waits, so a click never lands on a replaced button.
  const alerts = new Map();  // call id -> { root, text }
  function drawAlerts() {
    const box = $('alerts');
    if (!box) return;
    const now = simNow();
    const live = new Set();
    for (const w of cards.values()) {
      const c = state.calls.get(w.call);
      if (!c || !w.acts || !c.waiting || c.with || c.phase === 'ended') continue;
      live.add(c.id);
      let a = alerts.get(c.id);
      if (!a) {
        a = { text: el('span', { class: 'grow' }) };
        a.root = el('div', { class: 'alert', 'data-test': 'alert', 'data-call': c.id },
          el('strong', { text: t('escalated call', c.id) }), a.text,
          el('button', { 'data-test': 'alert-grab', text: t('grab') + ' (G)', onclick: () => send({ cmd: 'grab', call: c.id }) }));
        alerts.set(c.id, a);
        box.append(a.root);
        raiseAlert(c);
      }
      a.text.textContent = t('alert text', c.robot, word('reason', c.reason), Math.round(c.score), c.grade) +
                           (c.escalated_at && now >= c.escalated_at ? t('alert waiting', seconds(now - c.escalated_at)) : '');
      drawSla(a.root, c);
    }
    for (const [id, a] of alerts) {
      if (live.has(id)) continue;
      a.root.remove();
      alerts.delete(id);
    }
  }

  function waitedCell(ms) {
    return el('span', { class: 'sla-chip sla-' + sla(ms), 'data-sla': sla(ms), text: seconds(ms) });
  }

  function drawSummary() {
    const s = state.summary;
    $('clock').textContent = t('sim clock', clock(s.sim_ms));
    for (const c of state.calls.values()) if (c.waiting) dirty.calls.add(c.id);  // their SLA colour moves on
    if (view === 'supervisor') return drawSupervisor(s);
    if (!view) return;
    drawAlerts();
    const q = $('queue');
    if (q) {
      q.replaceChildren(s.queue.length ? table([t('q.call'), t('q.robot of'), t('q.why'), t('q.waiting')],
        s.queue.map((e) => [`#${e.call}`, e.agent, word('reason', e.reason), waitedCell(e.waited_ms)])) :
        el('p', { class: 'muted', text: t('nobody waiting') }));
    }
    const mine = s.people.find((p) => p.name === me);
    const take = $('take-next');
    if (take) take.disabled = !s.queue.length || (mine && mine.talking !== 0);
    const box = $('me');
    if (box && mine) {
      box.replaceChildren(
        el('p', { 'data-test': 'me-state', text: mine.stand_in ? t('stand-in busy', mine.talking) : mine.talking ? t('on call', mine.talking) : t('free') }),
        el('p', { class: 'muted', text: t('load', mine.robots, mine.calls, mine.grabs, mine.hand_backs) }));
    }
    if (mine) drawFigures($('figures'), [mine]);
    drawChart($('chart'), me ? [me] : []);
  }

  // ---- figures and the shift's chart -------------------------------------------------

  const FIGURES = [['calls', 'f.calls'], ['taken', 'f.taken'], ['converted', 'f.converted'], ['talk_ms', 'f.talk'],
                   ['utilisation', 'f.utilisation'], ['wait_ms', 'f.wait']];
  function figure(p, k) {
    if (k === 'talk_ms') return duration(p.talk_ms || 0);
    if (k === 'utilisation') return Math.round(100 * (p.utilisation || 0)) + '%';
    if (k === 'wait_ms') return p.wait_ms ? seconds(p.wait_ms) : '–';
    return String(p[k] || 0);
  }
  function drawFigures(box, people) {
    if (!box || !people.length) return;
    const p = people[0];
    box.replaceChildren(el('dl', { class: 'figures' }, ...FIGURES.flatMap(([k, label]) =>
      [el('dt', { text: t(label) }), el('dd', { 'data-figure': k, text: figure(p, k) })])));
  }

  // Each summary's figures become the shift's latest point; a point is kept
  // every sample_every_ms, as the server samples them.
  function addSample(s) {
    const every = state.hello ? state.hello.sample_every_ms : 30000;
    for (const p of s.people) {
      const h = state.history[p.name] || (state.history[p.name] = []);
      const point = [s.sim_ms, p.calls, p.taken || 0, p.converted || 0, p.talk_ms || 0];
      const last = h[h.length - 1];
      if (last && last.live) h.pop();
      const kept = h[h.length - 1];
      if (!kept || Math.floor(s.sim_ms / every) > Math.floor(kept[0] / every)) h.push(point);
      else { point.live = true; h.push(point); }
    }
  }

  const SERIES = [[1, 'f.calls', 'series-calls'], [2, 'f.taken', 'series-taken'], [3, 'f.converted', 'series-converted']];
  // Calls, taken and converted so far over the shift, for `names` together.
  function drawChart(box, names) {
    if (!box) return;
    const points = new Map();
    for (const n of names)
      for (const p of state.history[n] || []) {
        const q = points.get(p[0]) || [p[0], 0, 0, 0, 0];
        for (let i = 1; i < 5; i++) q[i] += p[i];
        points.set(p[0], q);
      }
    const data = [...points.values()].sort((a, b) => a[0] - b[0]);
    const key = JSON.stringify(data);  // redrawn only when a figure moved
    if (box.dataset.drawn === key) return;
    box.dataset.drawn = key;
    const W = 240, H = 120, L = 28, B = 16;
    const svgNS = 'http://www.w3.org/2000/svg';
    const svg = (tag, attrs, ...kids) => {
      const e = document.createElementNS(svgNS, tag);
      for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
      for (const c of kids) e.append(c);
      return e;
    };
    const maxT = Math.max(1, ...data.map((p) => p[0]));
    const maxY = Math.max(1, ...data.map((p) => p[1]));
    const x = (v) => L + (W - L - 4) * v / maxT;
    const y = (v) => H - B - (H - B - 6) * v / maxY;
    const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', 'data-test': 'chart', role: 'img',
                               'aria-label': t('chart hint') },
      svg('line', { x1: L, y1: H - B, x2: W - 4, y2: H - B, class: 'axis' }),
      svg('line', { x1: L, y1: 6, x2: L, y2: H - B, class: 'axis' }),
      svg('text', { x: L - 4, y: 12, class: 'tick', 'text-anchor': 'end' }, String(maxY)),
      svg('text', { x: L - 4, y: H - B, class: 'tick', 'text-anchor': 'end' }, '0'),
      svg('text', { x: W - 4, y: H - 3, class: 'tick', 'text-anchor': 'end' }, clock(maxT)));
    for (const [i, label, cls] of SERIES)
      chart.append(svg('polyline', { class: cls, 'data-series': label.slice(2), 'data-points': data.length,
                                     points: data.map((p) => `${x(p[0]).toFixed(1)},${y(p[i]).toFixed(1)}`).join(' ') }));
    const legend = el('div', { class: 'legend' }, ...SERIES.map(([, label, cls]) => el('span', { class: cls, text: t(label) })));
    box.replaceChildren(chart, legend);
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
    const pick = el('span', { 'data-test': 'follow', text: follow || t('nobody') });
    const listening = el('div', { class: 'cards', id: 'follow-cards' });
    if (follow) for (let r = 1; r <= h.robots_per_agent; r++) listening.append(makeCard(follow, r, false).root);
    const mine = el('div', { class: 'cards', id: 'cards' });
    for (let r = 1; r <= h.robots_per_agent; r++) mine.append(makeCard(me, r, true).root);
    return el('div', {},
      el('section', {},
        el('h2', {}, t('listening in on'), pick, el('span', { class: 'muted', text: t('read-only') })),
        listening),
      el('section', {},
        el('h2', { text: t('training') }),
        el('p', { class: 'muted', text: t('training text', h.training_calls) }),
        el('button', { id: 'start-training', 'data-test': 'start-training', text: t('start training'), onclick: () => send({ cmd: 'start_training' }) }),
        el('section', { class: 'alerts', id: 'alerts', 'data-test': 'alerts' }),
        mine,
        el('h2', { text: t('your decisions') }),
        el('div', { id: 'decisions', 'data-test': 'decisions' }),
        el('div', { id: 'assessment', 'data-test': 'assessment' })));
  }

  function drawTraining() {
    const tr = state.training;
    const box = $('decisions');
    if (!box || !tr) return;
    const start = $('start-training');
    if (start) {
      start.disabled = tr.running;
      start.textContent = tr.running ? t('training progress', tr.dialed, tr.target) : t('start training');
    }
    box.replaceChildren(tr.decisions.length ? table([t('d.call'), t('d.verdict'), t('d.offset')],
      tr.decisions.map((d) => [`#${d.call}`, el('span', { class: 'verdict-' + d.verdict, text: word('verdict', d.verdict) }),
                               (d.offset_ms / 1000).toFixed(1) + ' s'])) :
      el('p', { class: 'muted', text: t('none yet') }));
    const a = tr.assessment;
    $('assessment').replaceChildren(a ? el('div', { class: 'assessment' },
      el('strong', { text: t('assessment', Math.round(a.score * 100)) }),
      t('assessment text', a.on_time, a.early, a.late, a.missed, a.needless, (a.mean_offset_ms / 1000).toFixed(1))) : '');
  }

  // ---- supervisor ------------------------------------------------------------------

  const tiles = new Map();  // "agent/robot" -> tile
  let supervised = 0;       // the call the supervisor picked on the wall

  function supervisorPage() {
    tiles.clear();
    return el('div', { class: 'supervisor' },
      el('section', { class: 'wide' }, el('h2', { text: t('desk') }), el('div', { class: 'counters', id: 'counters' })),
      el('section', {}, el('h2', { text: t('queue') }), el('div', { id: 'queue' })),
      el('section', {}, el('h2', { text: t('chart desk'), title: t('chart hint') }), el('div', { id: 'chart' })),
      el('section', { class: 'wide' }, el('h2', { text: t('people') }), el('div', { id: 'people', 'data-test': 'people' })),
      el('section', { class: 'wide', id: 'supervise', 'data-test': 'supervise' }),
      el('section', {}, el('h2', { text: t('funnel') }), el('div', { id: 'funnel' })),
      el('section', {}, el('h2', { text: t('calls now') }), el('div', { class: 'wall', id: 'wall', 'data-test': 'wall' })));
  }

  function drawTile(c) {
    const wall = $('wall');
    if (!wall) return;
    const key = robotKey(c);
    let t0 = tiles.get(key);
    if (!t0) {
      t0 = { root: el('div', { class: 'tile', 'data-test': 'tile' }), head: el('div'), last: el('div', { class: 'last' }), id: 0 };
      t0.root.append(t0.head, t0.last);
      t0.root.addEventListener('click', () => {
        supervised = t0.id;
        for (const x of tiles.values()) x.root.classList.toggle('picked', x === t0);
        send({ cmd: 'watch', call: t0.id });
        drawSupervise();
      });
      tiles.set(key, t0);
      wall.append(t0.root);
    }
    if (t0.id > c.id) return;
    t0.id = c.id;
    t0.root.dataset.call = c.id;
    t0.root.className = 'tile ' + (c.phase === 'ended' ? 'ended' : c.with ? 'human' : c.waiting ? 'waiting' : '') +
                        (supervised === c.id ? ' picked' : '');
    drawSla(t0.root, c);
    const where = c.phase === 'ended' ? word('hangup', c.hangup) : c.with ? t('tile with', c.with) :
                  c.waiting ? t('tile waiting', word('reason', c.reason)) : c.node || t('phase.' + c.phase);
    t0.head.textContent = `${c.agent}/${c.robot} #${c.id} · ${where} · ${Math.round(c.score)} · ${c.grade}`;
    t0.last.textContent = c.last ? `${whoText(c.last)}: ${lineText(c.last)}` : '';
  }

  // The supervisor's tools for the call picked on the wall (supervision.js's
  // commands: whisper, barge, take over, reassign, notes).
  function drawSupervise() {
    const box = $('supervise');
    if (!box || !window.patterSupervision) return;
    window.patterSupervision.draw(box, supervised ? state.calls.get(supervised) : null,
                                  { t, word, el, send, state, lineText, whoText, lineClass });
  }

  function drawSupervisor(s) {
    if ($('supervise') && !$('supervise').childElementCount) drawSupervise();
    const c = s.counters;
    const counter = (label, v) => el('div', {}, el('b', { text: String(v) }), t(label));
    $('counters').replaceChildren(counter('c.opened', c.opened), counter('c.ended', c.ended),
      counter('c.raised', c.raised), counter('c.taken', c.taken), counter('c.gave up', c.gave_up),
      counter('c.ended waiting', c.ended_waiting), counter('c.grabs', c.grabs), counter('c.waiting', s.queue.length));
    $('queue').replaceChildren(s.queue.length ? table([t('q.call'), t('q.robot of'), t('q.why'), t('q.score'), t('q.waiting')],
      s.queue.map((e) => [`#${e.call}`, e.agent, word('reason', e.reason), Math.round(e.score), waitedCell(e.waited_ms)]), [3, 4]) :
      el('p', { class: 'muted', text: t('nobody waiting') }));
    $('people').replaceChildren(table([t('p.person'), t('p.robots'), t('p.on call'), t('p.escalations'), t('p.grabs'),
                                       t('p.handed back'), ...FIGURES.map(([, label]) => t(label))],
      s.people.map((p) => [p.name + (p.trainee ? t('trainee tag') : '') + (p.at_desk ? ' ●' : ''), p.robots,
                           p.talking ? `#${p.talking}` : '', p.escalations, p.grabs, p.hand_backs,
                           ...FIGURES.map(([k]) => figure(p, k))]), [1, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    drawChart($('chart'), s.people.filter((p) => !p.trainee).map((p) => p.name));
    const f = s.funnel;
    const base = Math.max(1, f.answered);
    const rows = f.rows.filter((r) => r.reached).map((r) => [r.node, r.reached,
      el('span', {}, el('span', { class: 'bar', style: `width:${Math.round(80 * r.reached / base)}px` }), ` ${(100 * r.reached / base).toFixed(0)}%`),
      r.hung_up, r.escalated, r.converted]);
    $('funnel').replaceChildren(
      el('p', { text: t('funnel text', f.calls, f.answered, f.converted, f.converted_grades) }),
      table([t('fn.node'), t('fn.reached'), '', t('fn.hung up'), t('fn.escalated'), t('fn.converted')], rows, [1, 3, 4, 5]),
      el('p', { class: 'muted', text: t('grades') + f.grades.map(([g, n]) => `${g} ${n}`).join(' · ') +
                                       t('outcomes') + f.outcomes.filter(([, n]) => n).map(([o, n]) => `${word('outcome', o)} ${n}`).join(' · ') }));
  }

  connect();
})();
