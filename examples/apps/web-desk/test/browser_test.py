#!/usr/bin/env python3
"""End-to-end test of the web desk in a real browser (headless Chromium).

    browser_test.py --server build/examples/apps/web-desk/patter_web_desk --out build/examples/apps/web-desk/browser-test

Part 1, a person at the desk: the server runs one agent's three robots on
customers who ask about financing. The agent's page shows an escalation
alert; the test clicks Grab, waits for the script's suggested lines, types
a reply and sends it, sees the customer answer, hands the call back to the
robot at a node and sees the robot speak again. A trainee's page, in a
second tab, listens in on the same call and shows the same transcript.
Screenshots of both pages are kept in --out.

Part 1 also checks, on the agent's page: the escalation's sound, flashing
title and desktop notification (a fake Notification installed through
DevTools records what the page raises), the waiting call's SLA colour
moving from green to red, the shortcuts (? list, G grab, Ctrl+Enter send,
H hand back; none of g, h, n, r fires while typing the reply), the
handoff summary, the agent's figures and the shift's chart.

Part 1f, a supervisor steps in: whispers to an agent on a call (only the
agent's page shows it), barges in and speaks (the customer answers), writes
a coaching note, leaves; reassigns a waiting call to another agent (whose
page gets it, with its handoff summary); takes a waiting call over, speaks
and ends it. The audit log has each.

Part 1e, a zh-CN script: every label in Chinese (none of the English
table's on the page, no key missing from the zh-CN table); notifications
asked for on a click and denied: no notification, the sound and the
title still come.

Part 1c, who may do what: a page of another site (another port of the
same address, so the browser sends the session cookie) cannot open the
desk's WebSocket; a signed-out page is sent to the sign-in page and its
WebSocket gets nothing; a trainee's grab of the agent's call is refused;
another agent cannot grab or end it; the supervisor sees every agent's
calls.

Every page signs in first (the accounts file is written in --out).

Part 2, a room of people: 20 agents x 3 robots on one page server, 20 more
pages reading beside the browser; the browser's supervisor and agent pages
record, for every update, the time from the event on the server to the
frame that shows it (window.patterLatency). The test reports the median
and 99th percentile and fails if they show visible lag.

Drives Debian's chromium through Debian's chromedriver with a WebDriver
client of its own (webdriver.py, standard library only): CI reaches
nothing but Debian's archive, so no npm package (playwright-core) can be
installed there. Exits 77 (skipped) when chromium or chromedriver is not
installed.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from webdriver import ELEMENT, KEY_CONTROL, KEY_ENTER, KEY_ESCAPE, Browser, WebDriverError, find_browser  # noqa: E402
from ws_reader import WsReader  # noqa: E402
from desk_accounts import PASSWORDS, hash_password, sign_in  # noqa: E402

SKIP = 77
REPLY = "Happy to walk you through financing, Sarah. Most owners pay monthly from what they save."

# Visible lag, for this test: a median above a frame or two of a slow
# screen, or a 99th percentile that a person would notice.
MEDIAN_LIMIT_MS = 200
P99_LIMIT_MS = 1000


def log(*args):
    print(*args, flush=True)


HASHES = {}


def accounts_file(server_bin, out, name, people):
    """An accounts file of `people` ({name: "role seat=..."}), hashes made once per name."""
    path = os.path.join(out, name)
    with open(path, "w") as f:
        for who, rest in people.items():
            PASSWORDS.setdefault(who, who + "-password")
            if who not in HASHES:
                HASHES[who] = hash_password(server_bin, PASSWORDS[who])
            f.write(f"{who} {rest} {HASHES[who]}\n")
    return path


def is_live(b):
    """The page's WebSocket is open (its connection mark says so, in any language)."""
    return b.run("return document.querySelector('[data-test=connection]').classList.contains('live')")


def seat_free(b):
    """An agent's page opened while their simulated stand-in was on a call
    waits for the stand-in to finish it (the page never inherits it)."""
    b.wait_for("the seat free of the simulated stand-in", lambda: b.run(
        "const s = window.patterDesk.state.summary; return !!s && s.people.length > 0 && !s.people[0].stand_in"), 60)


def browser_sign_in(b, url, who):
    """Signs in on the sign-in page; the server sends the person to their own page."""
    b.get(url + "sign-in")
    b.type(b.wait_for("the sign-in form", lambda: b.find("[data-test=name]"), 10), who)
    b.type(b.find("[data-test=password]"), PASSWORDS[who])
    b.click(b.find("[data-test=submit]"))
    b.wait_for(f"{who}'s own page", lambda: "view=" in b.run("return location.search"), 10)
    b.wait_for("the live connection", lambda: is_live(b), 20)


# Installed before any script of each new page (DevTools): a Notification
# that records what the page raises and asks, with `permission` as the
# person's earlier answer and `answer` as what they answer when asked.
FAKE_NOTIFICATIONS = """
(() => {
  const fake = window.fakeNotifications = { raised: [], asked: [] };
  class FakeNotification {
    constructor(title, options) { fake.raised.push({ title, body: (options || {}).body }); }
    close() {}
    static requestPermission(callback) {
      fake.asked.push({ gesture: !!(navigator.userActivation && navigator.userActivation.isActive) });
      FakeNotification.permission = '%(answer)s';
      if (callback) callback(FakeNotification.permission);
      return Promise.resolve(FakeNotification.permission);
    }
  }
  FakeNotification.permission = '%(permission)s';
  window.Notification = FakeNotification;
})();
"""


def fake_notifications(b, permission, answer):
    """Fakes the Notification API on every page opened from now on; returns
    the DevTools id to remove it with."""
    return b.cdp("Page.addScriptToEvaluateOnNewDocument",
                 {"source": FAKE_NOTIFICATIONS % {"permission": permission, "answer": answer}})["identifier"]


def visible_text(b):
    return b.run("return document.body.innerText")


def text_of(b, css):
    """The text of the element at `css` now (read in the page: panels redrawn
    twice a second leave no element to hold on to); None when there is none."""
    return b.run("const e = document.querySelector(arguments[0]); return e ? e.innerText : null", css)


# Opens the desk's WebSocket from the page the browser is on and records
# what happens to it in window.probe.
PROBE = """
const [url, command] = arguments;
const p = window.probe = { opened: false, closed: false, messages: [] };
const ws = new WebSocket(url);
ws.onopen = () => { p.opened = true; if (command) ws.send(command); };
ws.onmessage = (e) => p.messages.push(JSON.parse(e.data));
ws.onclose = (e) => { p.closed = true; p.code = e.code; };
"""


class Server:
    """patter_web_desk on a free port; its URL read from what it prints."""

    def __init__(self, binary, args, log_path):
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen([binary, "--port", "0", *args], stdout=subprocess.PIPE,
                                     stderr=self.log, text=True)
        self.url = None
        deadline = time.monotonic() + 30
        lines = []
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            self.log.write(line)
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if m:
                self.url = m.group(1)
                break
        if not self.url:
            self.stop()
            raise RuntimeError("the server printed no URL:\n" + "".join(lines))
        # Keep its standard output drained.
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stdout:
            self.log.write(line)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.flush()
        return self.proc.returncode


def failure_shot(b, out):
    """The page as it was when a step failed, server still running."""
    try:
        path = b.screenshot(os.path.join(out, "web-desk-failure.png"))
        log(f"  screenshot at the failure: {path}")
    except Exception as e:  # the browser may be what failed
        log(f"  no screenshot at the failure: {e}")


def css_escape(s):
    return s.replace('"', '\\"')


def ref(element):
    """An element as an argument of Browser.run."""
    return {ELEMENT: element}


def card_text(b, card):
    return b.run("return arguments[0].querySelector('[data-test=transcript]').innerText", ref(card))


def percentile(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * (len(v) - 1)))))
    return v[k]


def part1_person_at_the_desk(b, server_bin, out, timings):
    started = time.monotonic()
    accounts = accounts_file(server_bin, out, "desk.accounts",
                             {"ana": "agent seat=agent01", "tom": "trainee seat=trainee01 follows=agent01"})
    server = Server(server_bin, ["--accounts", accounts, "--agents", "1", "--robots-per-agent", "3", "--trainees", "1", "--speed", "5",
                                 "--personas", os.path.join(HERE, "eager.personas.yaml"), "--seed", "1"],
                    os.path.join(out, "server-desk.log"))
    try:
        # The page loads.
        page = time.monotonic()
        fake = fake_notifications(b, "granted", "granted")
        browser_sign_in(b, server.url, "ana")
        seat_free(b)
        assert b.run("return location.search") == "?view=agent&name=agent01"
        b.wait_for("the agent's three robot cards", lambda: len(b.find_all("[data-test=call-card]")) == 3, 20)
        b.wait_for("the live connection", lambda: is_live(b), 20)
        timings["page loads"] = time.monotonic() - page
        log(f"  page loaded: {server.url}?view=agent&name=agent01")

        assert b.run("return document.documentElement.lang") == "en-US"
        assert "Waiting for anyone" in visible_text(b) and "Figures this shift" in visible_text(b)

        # A call escalates: the alert, with a sound, a flashing title and a
        # desktop notification (allowed on an earlier visit: the fake says granted).
        t = time.monotonic()
        alert = b.wait_for("an escalation alert", lambda: b.find("[data-test=alert]"), 40)
        first_sla = b.attribute(alert, "data-sla")
        timings["until a call escalates"] = time.monotonic() - t
        log(f"  call #{b.attribute(alert, 'data-call')} escalated: {b.text(alert)!r} (SLA {first_sla})")
        raised = b.wait_for("the alert's record", lambda: b.run("return window.patterDesk.alarm.raised"), 5)[0]
        assert raised["notification"] and raised["sound"], f"a notification and a sound: {raised}"
        shown = b.run("return window.fakeNotifications.raised")
        assert shown and shown[0]["title"] == f"Call #{raised['call']} needs a person", shown
        b.wait_for("the flashing title", lambda: "escalated" in b.run("return document.title"), 5)
        assert first_sla in ("green", "amber"), f"a fresh escalation is not red yet: {first_sla}"
        b.wait_for("a call left waiting turning red",
                   lambda: b.find('[data-test=alert][data-sla="red"]'), 30)
        b.wait_for("the queue's waiting time in red", lambda: b.find('#queue [data-sla="red"]'), 10)
        log(f"  alert: sound, title {b.run('return document.title')!r}, notification {shown[0]!r}; "
            f"SLA {first_sla} then red")

        # The shortcuts' list.
        b.keys("?")
        keys = b.wait_for("the shortcuts' list", lambda: b.find("[data-test=shortcuts]:not([hidden])"), 5)
        assert "Ctrl+Enter" in b.text(keys) and "grab" in b.text(keys), b.text(keys)
        b.screenshot(os.path.join(out, "web-desk-shortcuts.png"))
        b.keys(KEY_ESCAPE)
        b.wait_for("the list closed", lambda: b.find("[data-test=shortcuts][hidden]"), 5)

        # The agent grabs with G: the call waiting longest.
        b.keys("g")
        card = b.wait_for("a call in the agent's hands after G", lambda: b.find("[data-test=call-card].mine"), 10)
        call = b.attribute(card, "data-call")
        card_css = f'[data-test=call-card][data-call="{css_escape(call)}"]'
        log(f"  grabbed call #{call} with G")

        # The handoff summary: why it escalated, what was heard, the path.
        handoff = b.wait_for("the handoff summary", lambda: (lambda s: s if "Why" in s and "Path" in s else None)(
            b.text(b.find(card_css + " [data-test=handoff]"))), 10)
        assert "question" in handoff and "ask_financing" in handoff and "opening → intro" in handoff, handoff
        assert "The customer said" in handoff, handoff
        log(f"  handoff summary: {handoff!r}")

        # Suggestions appear.
        t = time.monotonic()
        sug = b.wait_for("the script's suggested lines",
                         lambda: b.find_all(card_css + " [data-test=suggestion]"), 10)
        timings["suggestions after the grab"] = time.monotonic() - t
        log(f"  suggestion: {b.text(sug[0])!r}")

        # Clicking a suggestion puts it in the reply box; the agent writes
        # their own words instead and sends them. The list is redrawn when
        # the call's suggestions change, so a button found a moment ago may
        # be gone: click the one on the page now.
        box = b.find(card_css + " [data-test=reply-text]")

        def click_first_suggestion():
            try:
                now = b.find_all(card_css + " [data-test=suggestion]")
                if not now:
                    return False
                line = b.text(now[0])
                b.click(now[0])
                return b.run("return arguments[0].value", ref(box)) == line
            except WebDriverError:  # redrawn between finding and clicking
                return False

        b.wait_for("a clicked suggestion to fill the reply box", click_first_suggestion, 10)
        b.run("arguments[0].value = ''", ref(box))
        # Typed words hold g, h, n and r: none of them acts while typing.
        b.type(box, REPLY)
        assert b.run("return arguments[0].value", ref(box)) == REPLY, "the shortcuts stay out of the reply box"
        assert b.find(card_css + ".mine"), "typing h did not hand the call back"
        b.keys((KEY_CONTROL, KEY_ENTER))  # send
        b.wait_for("the reply in the transcript", lambda: REPLY in card_text(b, card), 10)
        assert b.run("return arguments[0].value", ref(box)) == "", "Ctrl+Enter sent the reply box's words"
        t = time.monotonic()
        # The customer answers the person; the suggestions follow them.
        b.wait_for("the customer's answer after the reply",
                   lambda: card_text(b, card).split(REPLY, 1)[-1].count("CUSTOMER") >= 1, 20)
        timings["customer answers the reply"] = time.monotonic() - t
        b.wait_for("suggestions for the answer", lambda: b.find_all(card_css + " [data-test=suggestion]"), 10)
        shot = b.screenshot(os.path.join(out, "web-desk-agent.png"))
        log(f"  replied; the customer answered; screenshot {shot}")

        # Hand back with H at a node of the agent's choosing.
        b.click(b.find(card_css + ' [data-test=handback-node] option[value="ask_owner"]'))
        b.keys(KEY_ESCAPE, "h")  # out of the list, then the shortcut
        b.wait_for("the hand-back in the transcript",
                   lambda: "handed back to the robot at ask_owner" in card_text(b, card), 10)
        b.wait_for("the robot speaking again after the hand-back",
                   lambda: "ROBOT" in card_text(b, card).split("handed back to the robot at ask_owner", 1)[-1], 10)
        b.wait_for("the card back with the robot", lambda: b.find(card_css + ":not(.mine)"), 10)
        agent_text = card_text(b, card)
        log("  handed back at ask_owner with H; the robot speaks again")

        # The agent's figures and the shift's chart.
        b.wait_for("a taken call in the figures",
                   lambda: int(text_of(b, '[data-test=figures] [data-figure="taken"]') or 0) >= 1, 10)
        figures = text_of(b, "[data-test=figures]")
        assert all(w in figures for w in ("calls", "taken", "converted", "talk time", "utilisation", "wait before take")), figures
        b.wait_for("talk time in the figures",
                   lambda: text_of(b, '[data-test=figures] [data-figure="talk_ms"]') != "0 s", 10)
        b.wait_for("the chart's three lines over the shift", lambda: b.run(
            "const p = [...document.querySelectorAll('[data-test=chart] polyline')];"
            "return p.length === 3 && p.every((l) => +l.dataset.points >= 2)"), 30)
        log(f"  figures: {figures!r}")

        # A trainee listening in sees the same call.
        t = time.monotonic()
        agent_tab = b.window()
        b.new_tab()
        browser_sign_in(b, server.url, "tom")  # the agent's page keeps its open WebSocket
        tcard_css = f'#follow-cards [data-test=call-card][data-call="{css_escape(call)}"]'
        tcard = b.wait_for("the call in the trainee's listen-in", lambda: b.find(tcard_css), 20)
        trainee_text = b.wait_for("the reply and the hand-back in the trainee's transcript",
                                  lambda: (lambda s: s if REPLY in s and "handed back" in s else None)(card_text(b, tcard)), 10)
        assert not b.find_all(tcard_css + " [data-test=grab]"), "listen-in is read-only: no Grab button"
        # The same call: every line the agent saw before the hand-back is there.
        head = agent_text.split("handed back", 1)[0]
        assert head.strip() and head.strip() in trainee_text, "the trainee sees the agent's transcript"
        timings["trainee page shows the call"] = time.monotonic() - t
        shot = b.screenshot(os.path.join(out, "web-desk-trainee.png"))
        log(f"  the trainee's page shows call #{call}: screenshot {shot}")
        b.run("window.close()")
        b.switch_to(agent_tab)
        b.cdp("Page.removeScriptToEvaluateOnNewDocument", {"identifier": fake})
    except BaseException:
        failure_shot(b, out)
        raise
    finally:
        code = server.stop()
    assert code in (0, -15), f"the server exited with {code} (see server-desk.log)"
    timings["part 1"] = time.monotonic() - started


# Labels of the en-US table that must not show on a zh-CN page (and their zh-CN words that must).
EN_LABELS = ("Waiting for anyone", "Take the next call", "Figures this shift", "Over the shift", "Sign out",
             "Turn on alerts", "Shortcuts", "robot 1")
ZH_LABELS = ("等待接听", "接下一通", "本班数据", "本班走势", "退出", "机器人 1", "快捷键")


def part1e_chinese_desk(b, server_bin, out, timings):
    """A zh-CN script: every label in Chinese; notifications denied, the desk carries on."""
    started = time.monotonic()
    accounts = accounts_file(server_bin, out, "zh.accounts", {"ana": "agent seat=agent01", "sue": "supervisor"})
    script = os.path.join(HERE, "..", "..", "..", "scripts", "screening.zh-CN.yaml")
    server = Server(server_bin, ["--accounts", accounts, "--agents", "1", "--speed", "8", "--seed", "2",
                                 "--script", script], os.path.join(out, "server-zh.log"))
    fake = fake_notifications(b, "default", "denied")
    try:
        browser_sign_in(b, server.url, "ana")
        seat_free(b)
        b.wait_for("the robot cards", lambda: len(b.find_all("[data-test=call-card]")) == 3, 20)
        assert b.run("return document.documentElement.lang") == "zh-CN"
        text = visible_text(b)
        assert all(w in text for w in ZH_LABELS), [w for w in ZH_LABELS if w not in text]
        assert not [w for w in EN_LABELS if w in text], [w for w in EN_LABELS if w in text]
        # Notifications are asked for on a click, and refused: the desk goes on without them.
        b.click(b.find("[data-test=enable-alerts]"))
        asked = b.wait_for("the permission asked", lambda: b.run("return window.fakeNotifications.asked"), 5)
        assert asked == [{"gesture": True}], f"asked once, on the click: {asked}"
        b.wait_for("the button saying sound only", lambda: b.text(b.find("[data-test=enable-alerts]")) == "提醒：仅声音", 5)
        b.keys("?")
        keys = b.wait_for("the shortcuts' list", lambda: b.find("[data-test=shortcuts]:not([hidden])"), 5)
        assert "键盘快捷键" in b.text(keys), b.text(keys)
        b.keys(KEY_ESCAPE)
        alert = b.wait_for("an escalation alert", lambda: b.find("[data-test=alert]"), 60)
        assert "转人工" in b.text(alert) and "接听" in b.text(alert), b.text(alert)
        raised = b.wait_for("the alert's record", lambda: b.run("return window.patterDesk.alarm.raised"), 5)[0]
        assert raised["sound"] and not raised["notification"], raised
        assert not b.run("return window.fakeNotifications.raised"), "no notification once denied"
        b.wait_for("the flashing title in Chinese", lambda: "转人工" in b.run("return document.title"), 5)
        b.keys("g")
        card = b.wait_for("the call in the agent's hands", lambda: b.find("[data-test=call-card].mine"), 10)
        handoff = b.wait_for("the handoff summary in Chinese",
                             lambda: (lambda s: s if "交接摘要" in s else None)(b.text(b.find("[data-test=handoff]", card))), 10)
        assert "转人工" in handoff and "路径" in handoff, handoff
        b.keys("n")  # the next call, while on one: refused, in Chinese
        b.wait_for("the refusal in Chinese", lambda: any(w in (text_of(b, "#toast") or "")
                                                         for w in ("您正在通话", "无人等待")), 10)
        transcript = card_text(b, card)
        assert "机器人" in transcript and "客户" in transcript and "ROBOT" not in transcript, transcript
        text = visible_text(b)
        assert not [w for w in EN_LABELS + ("Suggested lines", "Hand back", "Handoff summary") if w in text], text
        untranslated = b.run("return [...window.patterDesk.untranslated]")
        assert not untranslated, f"labels without a zh-CN wording: {untranslated}"
        missing = b.run("const L = window.patterLabels; return Object.keys(L['en-US']).filter((k) => !(k in L['zh-CN']))")
        assert not missing, f"the zh-CN table lacks {missing}"
        shot = b.screenshot(os.path.join(out, "web-desk-agent-zh.png"))
        browser_sign_in(b, server.url, "sue")
        b.wait_for("the supervisor's people in Chinese", lambda: "人员" in visible_text(b) and "利用率" in visible_text(b), 10)
        assert not b.run("return [...window.patterDesk.untranslated]")
        b.screenshot(os.path.join(out, "web-desk-supervisor-zh.png"))
        log(f"  zh-CN labels throughout, notifications denied and the desk goes on; screenshot {shot}")
    except BaseException:
        failure_shot(b, out)
        raise
    finally:
        b.cdp("Page.removeScriptToEvaluateOnNewDocument", {"identifier": fake})
        code = server.stop()
    assert code in (0, -15), f"the server exited with {code} (see server-zh.log)"
    timings["zh-CN desk"] = time.monotonic() - started


WHISPER = "Ask whether the roof faces south"
SUPERVISOR_SAYS = "This is Sue, the team lead: I can confirm the financing terms."
NOTE = "Good opening; offer the survey sooner"


def tile_text(b, call):
    return text_of(b, f'[data-test=tile][data-call="{call}"]') or ""


def part1f_supervisor_steps_in(b, server_bin, out, timings):
    """A supervisor whispers to an agent, barges in, notes, reassigns a waiting call, takes one over."""
    started = time.monotonic()
    accounts = accounts_file(server_bin, out, "supervise.accounts",
                             {"ana": "agent seat=agent01", "ben": "agent seat=agent02", "sue": "supervisor"})
    server = Server(server_bin, ["--accounts", accounts, "--agents", "2", "--speed", "4", "--seed", "4",
                                 "--personas", os.path.join(HERE, "eager.personas.yaml")],
                    os.path.join(out, "server-supervise.log"))
    tabs = []
    try:
        # Ben and Ana at their desks (neither simulated), Sue on the supervisor's page.
        browser_sign_in(b, server.url, "ben")
        seat_free(b)
        tabs.append(b.window())
        b.new_tab()
        browser_sign_in(b, server.url, "ana")
        seat_free(b)
        ana = b.window()
        b.wait_for("a call to grab", lambda: b.find("[data-test=alert]"), 40)
        b.keys("g")
        card = b.wait_for("ana on a call", lambda: b.find("[data-test=call-card].mine"), 10)
        call = b.attribute(card, "data-call")
        b.new_tab()
        browser_sign_in(b, server.url, "sue")
        sue = b.window()

        # Sue picks ana's call on the wall and whispers: only ana's page shows it.
        b.wait_for("ana's call on the wall", lambda: b.find(f'[data-test=tile][data-call="{call}"]'), 10)
        b.click(b.find(f'[data-test=tile][data-call="{call}"]'))
        b.wait_for("the call's transcript on sue's page",
                   lambda: "took the call" in (text_of(b, "[data-test=supervise-transcript]") or ""), 10)
        b.type(b.find("[data-test=whisper-text]"), WHISPER)
        b.click(b.find("[data-test=whisper]"))
        b.wait_for("the whisper in sue's transcript", lambda: WHISPER in text_of(b, "[data-test=supervise-transcript]"), 10)
        b.switch_to(ana)
        whisper = b.wait_for("the whisper on ana's card",
                             lambda: b.find(f'[data-test=call-card][data-call="{call}"] [data-key=whispered]'), 10)
        assert WHISPER in b.text(whisper) and "sue" in b.text(whisper), b.text(whisper)
        b.screenshot(os.path.join(out, "web-desk-whisper.png"))

        # Barge in: sue joins beside ana and speaks; the transcript shows both.
        b.switch_to(sue)
        b.click(b.find("[data-test=barge]"))
        b.wait_for("sue beside ana", lambda: "sue joined the call" in text_of(b, "[data-test=supervise-transcript]"), 10)
        say = b.wait_for("sue's words box", lambda: b.find("[data-test=supervisor-say-text]"), 5)
        b.type(say, SUPERVISOR_SAYS)
        b.click(b.find("[data-test=supervisor-say]"))
        b.type(b.find("[data-test=note-text]"), NOTE)
        b.click(b.find("[data-test=note]"))
        b.wait_for("the note on sue's page", lambda: NOTE in (text_of(b, "[data-test=notes]") or ""), 10)
        b.switch_to(ana)
        ana_card = f'[data-test=call-card][data-call="{call}"]'
        b.wait_for("the barge and sue's words in ana's transcript", lambda: (lambda s: "sue joined the call" in s
                   and SUPERVISOR_SAYS in s and NOTE in s)(card_text(b, b.find(ana_card))), 10)
        b.wait_for("the customer answering sue", lambda: "CUSTOMER" in card_text(b, b.find(ana_card)).split(SUPERVISOR_SAYS, 1)[-1], 20)
        b.switch_to(sue)
        b.click(b.find("[data-test=leave]"))
        b.wait_for("sue leaving ana's call", lambda: "sue left the call" in text_of(b, "[data-test=supervise-transcript]"), 10)
        log(f"  call #{call}: sue whispered (ana's page only), barged in, spoke, noted, left")

        # Reassign: one of ana's robots' calls waits (ana is busy): sue gives it to ben.
        b.switch_to(sue)
        waiting = b.wait_for("a waiting call of agent01's", lambda: b.run(
            "return [...window.patterDesk.state.calls.values()].filter((c) => c.agent === 'agent01' && c.waiting"
            " && !c.with && c.phase !== 'ended').map((c) => c.id)"), 30)
        moved = waiting[0]
        b.click(b.find(f'[data-test=tile][data-call="{moved}"]'))
        b.wait_for("the reassign button", lambda: b.find("[data-test=reassign]:not([disabled])"), 10)
        b.click(b.find('[data-test=reassign-to] option[value="agent02"]'))
        b.click(b.find("[data-test=reassign]"))
        b.wait_for("the call with agent02 on the wall", lambda: "with agent02" in tile_text(b, moved), 10)
        b.switch_to(tabs[0])
        b.wait_for("the reassigned call in ben's hands",
                   lambda: b.find(f'[data-test=call-card][data-call="{moved}"].mine'), 10)
        b.wait_for("its handoff summary on ben's page",
                   lambda: "Why" in (text_of(b, f'[data-test=call-card][data-call="{moved}"] [data-test=handoff]') or ""), 10)
        log(f"  call #{moved} reassigned from the queue to agent02 (ben)")

        # Take over a waiting call: sue has it, speaks, ends it.
        b.switch_to(sue)
        waiting = b.wait_for("another waiting call", lambda: b.run(
            "return [...window.patterDesk.state.calls.values()].filter((c) => c.waiting && !c.with"
            " && c.phase !== 'ended').map((c) => c.id)"), 40)
        taken = waiting[0]
        b.click(b.find(f'[data-test=tile][data-call="{taken}"]'))
        b.wait_for("the take-over button", lambda: b.find("[data-test=take-over]:not([disabled])"), 10)
        b.click(b.find("[data-test=take-over]"))
        b.wait_for("the call with sue", lambda: "with sue" in tile_text(b, taken), 10)
        b.type(b.wait_for("sue's words box", lambda: b.find("[data-test=supervisor-say-text]"), 5), "Sue here, I will take it from here.")
        b.click(b.find("[data-test=supervisor-say]"))
        b.wait_for("sue's words in the transcript",
                   lambda: "I will take it from here" in text_of(b, "[data-test=supervise-transcript]"), 10)
        b.screenshot(os.path.join(out, "web-desk-supervisor-tools.png"))
        b.click(b.find('[data-test=supervisor-end-reason] option[value="completed"]'))
        b.click(b.find("[data-test=supervisor-end]"))
        # The desk ends it at once; the campaign's robot hears of it at the
        # campaign's next step (here every robot's customer waits, so later).
        b.wait_for("the taken-over call ended",
                   lambda: "call ended" in text_of(b, "[data-test=supervise-transcript]"), 10)
        log(f"  call #{taken} taken over by sue, who spoke and ended it")
    except BaseException:
        failure_shot(b, out)
        raise
    finally:
        code = server.stop()
        for h in tabs + [locals().get("ana")]:
            if h:
                try:
                    b.switch_to(h)
                    b.run("window.close()")
                except WebDriverError:
                    pass
        if locals().get("sue"):
            b.switch_to(sue)
    assert code in (0, -15), f"the server exited with {code} (see server-supervise.log)"
    with open(os.path.join(out, "server-supervise.log")) as f:
        audit = f.read()
    for line in (f"whisper call={call} by=sue", f"barge call={call} by=sue", f"note call={call} by=sue",
                 f"leave call={call} by=sue",
                 f"reassign call={moved} by=sue", f"take_over call={taken} by=sue", f"end call={taken} by=sue"):
        assert line in audit, f"audited: {line}"
    timings["supervisor steps in"] = time.monotonic() - started


def part1b_training(b, server_bin, out, timings):
    started = time.monotonic()
    accounts = accounts_file(server_bin, out, "training.accounts", {"tom": "trainee seat=trainee01 follows=agent01"})
    server = Server(server_bin, ["--accounts", accounts, "--agents", "1", "--trainees", "1", "--training-calls", "3", "--speed", "10",
                                 "--personas", os.path.join(HERE, "eager.personas.yaml"), "--seed", "3"],
                    os.path.join(out, "server-training.log"))
    try:
        browser_sign_in(b, server.url, "tom")
        start = b.wait_for("the Start training button", lambda: b.find("[data-test=start-training]"), 20)
        b.wait_for("the live connection", lambda: is_live(b), 20)
        b.click(start)
        alert = b.wait_for("a training call escalating", lambda: b.find("[data-test=alert]"), 30)
        call = b.attribute(alert, "data-call")
        b.click(b.find("[data-test=alert-grab]", alert))
        card_css = f'#cards [data-test=call-card][data-call="{css_escape(call)}"]'
        b.wait_for("the training call in the trainee's hands", lambda: b.find(card_css + ".mine"), 10)
        b.click(b.find(card_css + ' [data-test=end-reason] option[value="completed"]'))
        b.click(b.find(card_css + " [data-test=end]"))
        b.wait_for("the trainee's decision on the call",
                   lambda: f"#{call}" in b.text(b.find("[data-test=decisions]")), 10)
        verdicts = b.wait_for("the assessment at the end of the run",
                              lambda: b.text(b.find("[data-test=assessment]")), 40)
        m = re.search(r"(\d+) on time, (\d+) early, (\d+) late, (\d+) missed, (\d+) needless", verdicts)
        assert m, f"an assessment with counts: {verdicts!r}"
        counts = [int(x) for x in m.groups()]
        assert sum(counts) == 3, f"one decision per training call: {verdicts!r}"
        assert counts[0] + counts[2] == 1 and counts[3] == 2, f"one call taken, two missed: {verdicts!r}"
        shot = b.screenshot(os.path.join(out, "web-desk-training.png"))
        log(f"  training run of 3 calls: {verdicts!r}; screenshot {shot}")
    except BaseException:
        failure_shot(b, out)
        raise
    finally:
        code = server.stop()
    assert code in (0, -15), f"the server exited with {code} (see server-training.log)"
    timings["training"] = time.monotonic() - started


def part1c_who_may_do_what(b, server_bin, out, timings):
    started = time.monotonic()
    accounts = accounts_file(server_bin, out, "security.accounts",
                             {"ana": "agent seat=agent01", "ben": "agent seat=agent02",
                              "tom": "trainee seat=trainee01 follows=agent01", "sue": "supervisor"})
    server = Server(server_bin, ["--accounts", accounts, "--agents", "2", "--speed", "5", "--seed", "1",
                                 "--personas", os.path.join(HERE, "eager.personas.yaml")],
                    os.path.join(out, "server-security.log"))
    # Another site: a page on another port of the same address.
    other = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", out],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        port = int(re.search(r":(\d+)/", server.url).group(1))
        ws_url = f"ws://127.0.0.1:{port}/ws?view=supervisor"
        other_port = int(re.search(r"port (\d+)", other.stdout.readline()).group(1))

        # The supervisor sees every agent's calls.
        browser_sign_in(b, server.url, "sue")
        b.wait_for("tiles of both agents' robots", lambda: {
            c["agent"] for c in b.run("return [...window.patterDesk.state.calls.values()]")} >= {"agent01", "agent02"}, 20)

        # Signed in as the supervisor, a page of another site opens the desk's WebSocket: refused.
        b.get(f"http://127.0.0.1:{other_port}/")
        b.run(PROBE, ws_url, None)
        probe = b.wait_for("the foreign page's WebSocket closed", lambda: (lambda p: p if p["closed"] else None)(
            b.run("return window.probe")), 10)
        assert not probe["opened"] and not probe["messages"], f"a foreign Origin is refused: {probe}"

        # A trainee's grab of the agent's call is refused.
        browser_sign_in(b, server.url, "tom")
        call = b.wait_for("a call of agent01's", lambda: next((c["id"] for c in b.run(
            "return [...window.patterDesk.state.calls.values()]") if c["agent"] == "agent01"), None), 20)
        b.run(PROBE, f"ws://127.0.0.1:{port}/ws", '{"cmd":"grab","call":%d}' % call)
        refused = b.wait_for("the trainee's grab refused", lambda: next((m for m in b.run(
            "return window.probe.messages") if m["type"] == "refused"), None), 10)
        assert "listens in" in refused["text"], refused

        # Another agent can neither grab nor end agent01's call.
        browser_sign_in(b, server.url, "ben")
        assert all(c["agent"] == "agent02" or c["with"] == "agent02"
                   for c in b.run("return [...window.patterDesk.state.calls.values()]")), \
            "an agent sees only their robots' calls (and one their stand-in took from the queue)"
        for command in ('{"cmd":"grab","call":%d}' % call, '{"cmd":"end","call":%d,"reason":"completed"}' % call):
            b.run(PROBE, f"ws://127.0.0.1:{port}/ws", command)
            refused = b.wait_for("agent02's command refused", lambda: next((m for m in b.run(
                "return window.probe.messages") if m["type"] == "refused"), None), 10)
            assert "your robots'" in refused["text"] or "take the call first" in refused["text"], refused

        # Signed out: the desk's page sends the browser to sign in, and a WebSocket gets nothing.
        b.click(b.find("[data-test=sign-out]"))
        b.wait_for("the sign-in page", lambda: b.find("[data-test=sign-in]"), 10)
        b.get(server.url + "?view=supervisor")
        b.wait_for("the sign-in page again", lambda: b.find("[data-test=sign-in]"), 10)
        b.run(PROBE, ws_url, None)
        probe = b.wait_for("the signed-out WebSocket closed", lambda: (lambda p: p if p["closed"] else None)(
            b.run("return window.probe")), 10)
        assert not probe["opened"] and not probe["messages"], f"a signed-out page sees nothing: {probe}"
        log("  foreign page refused; trainee's and other agent's commands refused; signed-out page sees nothing")
    except BaseException:
        failure_shot(b, out)
        raise
    finally:
        other.terminate()
        other.wait()
        code = server.stop()
    assert code in (0, -15), f"the server exited with {code} (see server-security.log)"
    with open(os.path.join(out, "server-security.log")) as f:
        assert re.search(rf"Z refused call={call} by=tom seat=trainee01 cmd=grab", f.read()), "audited"
    timings["who may do what"] = time.monotonic() - started


def part2_room_of_people(b, server_bin, out, timings, agents=20, robots=3, seconds=12, speed=4):
    started = time.monotonic()
    people = {"ana": "agent seat=agent01", "sue": "supervisor"}
    people.update({f"t{a:02d}": f"trainee seat=trainee{a:02d} follows=agent{a:02d}" for a in range(1, agents + 1)})
    accounts = accounts_file(server_bin, out, "room.accounts", people)
    server = Server(server_bin, ["--accounts", accounts, "--agents", str(agents), "--robots-per-agent", str(robots),
                                 "--trainees", str(agents), "--speed", str(speed), "--seed", "7"],
                    os.path.join(out, "server-room.log"))
    readers = []
    results = {}
    try:
        host, port = re.match(r"http://([\d.]+):(\d+)/", server.url).groups()
        # Twenty more pages: a trainee listening in on each agent.
        for a in range(1, agents + 1):
            cookie, _ = sign_in(host, int(port), f"t{a:02d}", PASSWORDS[f"t{a:02d}"])
            r = WsReader(host, int(port), f"/ws?view=trainee&name=trainee{a:02d}&follow=agent{a:02d}", cookie)
            r.start()
            readers.append(r)
        for who, name in (("sue", "supervisor (all calls)"), ("ana", "agent")):
            browser_sign_in(b, server.url, who)
            time.sleep(2)  # warm up
            b.run("window.patterLatency.samples.length = 0; window.patterLatency.messages = 0")
            time.sleep(seconds)
            samples = b.run("return window.patterLatency.samples")
            messages = b.run("return window.patterLatency.messages")
            if name.startswith("supervisor"):
                tiles = len(b.find_all("[data-test=tile]"))
                assert tiles >= agents * robots * 0.9, f"the supervisor's wall shows {tiles} of {agents * robots} robots"
                b.screenshot(os.path.join(out, "web-desk-supervisor.png"))
            results[name] = (samples, messages)
        pages_alive = sum(1 for r in readers if not r.closed)
        read = sum(r.messages for r in readers)
    except BaseException:
        failure_shot(b, out)
        raise
    finally:
        for r in readers:
            r.close()
        code = server.stop()
    assert code in (0, -15), f"the server exited with {code} (see server-room.log)"
    assert pages_alive == len(readers), f"only {pages_alive} of {len(readers)} extra pages stayed connected"
    log(f"  {agents} agents x {robots} robots, speed x{speed:g}; {len(readers)} more pages read {read} messages meanwhile")
    failures = []
    for name, (samples, messages) in results.items():
        assert samples, f"the {name} page recorded no latency"
        med, p99, worst = statistics.median(samples), percentile(samples, 99), max(samples)
        log(f"  event-to-screen, {name} page: {len(samples)} updates in {seconds} s "
            f"({messages} messages): median {med:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms")
        timings[f"latency {name}"] = (med, p99)
        if med > MEDIAN_LIMIT_MS or p99 > P99_LIMIT_MS:
            failures.append(f"{name}: median {med:.0f} ms (limit {MEDIAN_LIMIT_MS}), p99 {p99:.0f} ms (limit {P99_LIMIT_MS})")
    assert not failures, "visible lag: " + "; ".join(failures)
    timings["part 2"] = time.monotonic() - started


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True, help="the patter_web_desk binary")
    ap.add_argument("--out", default=None, help="folder for screenshots and logs")
    ap.add_argument("--agents", type=int, default=20)
    ap.add_argument("--robots-per-agent", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=12, help="latency measurement per page")
    ap.add_argument("--speed", type=float, default=4, help="the room's simulated seconds per second")
    ap.add_argument("--only-room", action="store_true", help="only part 2 (latency)")
    ap.add_argument("--only", default=None, help="only the part of this name (1, 1b, 1c, 1e, 1f), for debugging")
    args = ap.parse_args()

    found = find_browser()
    if not found:
        print("SKIPPED: chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
        return SKIP
    out = os.path.abspath(args.out or tempfile.mkdtemp(prefix="web-desk-test-"))
    os.makedirs(out, exist_ok=True)
    chromium, driver = found
    log(f"browser: {chromium}, driver: {driver}; artifacts in {out}")

    started = time.monotonic()
    timings = {}
    b = Browser(chromium, driver, out)
    timings["browser starts"] = time.monotonic() - started
    try:
        parts = [("1", "a person at the desk", part1_person_at_the_desk),
                 ("1f", "a supervisor steps in", part1f_supervisor_steps_in),
                 ("1e", "a zh-CN desk", part1e_chinese_desk),
                 ("1b", "a trainee's training run", part1b_training),
                 ("1c", "who may do what", part1c_who_may_do_what)]
        for name, what, part in parts:
            if args.only_room or (args.only and args.only != name):
                continue
            log(f"part {name}: {what}")
            part(b, args.server, out, timings)
        if args.only and args.only != "2":
            return 0
        log("part 2: a room of people")
        part2_room_of_people(b, args.server, out, timings, args.agents, args.robots_per_agent, args.seconds,
                             args.speed)
    finally:
        b.close()
    log("timings:")
    for k, v in timings.items():
        log(f"  {k}: " + (f"median {v[0]:.1f} ms, p99 {v[1]:.1f} ms" if isinstance(v, tuple) else f"{v:.1f} s"))
    log(f"total {time.monotonic() - started:.1f} s")
    shots = sorted(f for f in os.listdir(out) if f.startswith("web-desk-") and f.endswith(".png") and "failure" not in f)
    log("screenshots in " + out + ": " + ", ".join(shots))
    return 0


if __name__ == "__main__":
    sys.exit(main())
