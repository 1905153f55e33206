// The supervisor's tools for the call picked on the wall: its transcript as
// it goes (the page asks the server to `watch` it), whisper to the person
// on it, barge in, take it over, speak and end it once theirs, reassign it
// while it waits, leave a call barged into, and coaching notes. desk.js calls draw() whenever the
// call changes; the inputs are built once per call, so typing survives the
// redraws.
'use strict';

window.patterSupervision = (function () {
  let built = null;  // { id, root, parts }

  function build(box, c, k) {
    const { t, el, send, state } = k;
    const p = {};
    const row = (...kids) => el('div', { class: 'row' }, ...kids);
    const act = (cmd, extra) => send(Object.assign({ cmd, call: c.id }, extra || {}));
    const withText = (input, cmd) => () => {
      const text = input.value.trim();
      if (!text) return;
      act(cmd, { text });
      input.value = '';
    };
    p.state = el('p', { class: 'muted', 'data-test': 'supervise-state' });
    p.transcript = el('ol', { class: 'transcript', 'data-test': 'supervise-transcript' });
    p.whisper = el('input', { 'data-test': 'whisper-text', placeholder: t('whisper placeholder') });
    p.say = el('input', { 'data-test': 'supervisor-say-text', placeholder: t('barge placeholder') });
    p.note = el('input', { 'data-test': 'note-text', placeholder: t('note placeholder') });
    p.to = el('select', { 'data-test': 'reassign-to', 'aria-label': t('reassign') });
    for (const a of state.hello.agents) p.to.append(el('option', { value: a, text: a }));
    p.reason = el('select', { 'data-test': 'supervisor-end-reason', 'aria-label': t('outcome') });
    for (const r of state.hello.reasons) p.reason.append(el('option', { value: r, text: k.word('hangup', r) }));
    const enter = (input, fn) => input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        fn();
      }
    });
    const whisper = withText(p.whisper, 'whisper');
    const say = withText(p.say, 'reply');
    const note = withText(p.note, 'note');
    enter(p.whisper, whisper);
    enter(p.say, say);
    enter(p.note, note);
    p.barge = el('button', { 'data-test': 'barge', class: 'secondary', text: t('barge'), onclick: () => act('barge') });
    p.leave = el('button', { 'data-test': 'leave', class: 'secondary', text: t('leave'), onclick: () => act('leave') });
    p.takeOver = el('button', { 'data-test': 'take-over', class: 'secondary', text: t('take over'), onclick: () => act('take_over') });
    p.reassign = el('button', { 'data-test': 'reassign', class: 'secondary', text: t('reassign'),
                                onclick: () => act('reassign', { to: p.to.value }) });
    p.end = el('button', { 'data-test': 'supervisor-end', class: 'secondary', text: t('end call'),
                           onclick: () => act('end', { reason: p.reason.value }) });
    p.sayRow = row(p.say, el('button', { 'data-test': 'supervisor-say', text: t('send'), onclick: say }));
    p.endRow = row(p.reason, p.end);
    p.notes = el('ul', { class: 'notes', 'data-test': 'notes' });
    const root = el('div', { class: 'supervise-tools' },
      el('h2', { text: t('supervise', c.id) }), p.state, p.transcript,
      row(p.whisper, el('button', { 'data-test': 'whisper', text: t('whisper'), onclick: whisper })),
      row(p.barge, p.leave, p.takeOver), p.sayRow, p.endRow,
      row(p.to, p.reassign),
      el('h4', { text: t('notes') }), p.notes,
      row(p.note, el('button', { 'data-test': 'note', class: 'secondary', text: t('note'), onclick: note })));
    box.replaceChildren(root);
    return { id: c.id, root, parts: p, shown: 0 };
  }

  function draw(box, c, k) {
    const { t, el, state } = k;
    if (!c) {
      built = null;
      return box.replaceChildren(el('h2', { text: t('supervise none') }), el('p', { class: 'muted', text: t('pick a call') }));
    }
    if (!built || built.id !== c.id || !box.contains(built.root)) built = build(box, c, k);
    const p = built.parts;
    const me = state.signedIn;
    const ended = c.phase === 'ended';
    p.state.textContent = ended ? t('ended as', k.word('hangup', c.hangup)) :
      (c.with ? t('with', c.with) : c.waiting ? t('waiting for', k.word('reason', c.reason)) : t('phase.' + c.phase)) +
      (c.barged ? ' · ' + t('line.barged', c.barged) : '');
    const mine = c.with === me || c.barged === me;
    p.barge.disabled = ended || mine;
    // A person's call is whispered to or barged into: the simulated campaign
    // cannot hand its customer from that person to a supervisor.
    p.takeOver.disabled = ended || !!c.with;
    p.takeOver.title = c.with && c.with !== me ? t('take over hint') : '';
    p.leave.hidden = c.barged !== me || ended;
    p.sayRow.hidden = !mine || ended;
    p.endRow.hidden = c.with !== me || ended;
    p.reassign.disabled = !c.waiting || !!c.with || ended;
    const lines = c.lines || [];
    if (built.shown > lines.length) {
      p.transcript.replaceChildren();
      built.shown = 0;
    }
    for (const l of lines.slice(built.shown))
      p.transcript.append(el('li', { class: k.lineClass(l), 'data-key': l.key || null },
        el('span', { class: 'who', text: k.whoText(l) }), k.lineText(l)));
    built.shown = lines.length;
    p.transcript.scrollTop = p.transcript.scrollHeight;
    const notes = c.notes || [];
    const key = JSON.stringify(notes);
    if (built.notes !== key) {
      built.notes = key;
      p.notes.replaceChildren(...(notes.length ? notes.map((n) => el('li', { 'data-test': 'note-line', text: `${n.author}: ${n.text}` }))
                                               : [el('li', { class: 'muted', text: t('no notes') })]));
    }
  }

  return { draw };
})();
