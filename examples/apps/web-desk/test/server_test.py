#!/usr/bin/env python3
"""The web desk's server without a browser: files, views, commands.

    server_test.py --server build/examples/apps/web-desk/patter_web_desk

Starts the server on a free port, fetches the page's files, opens
WebSockets as the pages do and checks what comes back: a snapshot with the
script and the agent's robots, updates as calls go on, commands the desk
turns down with a reason, views it refuses. Standard library only, so it
runs wherever the server builds (the browser test needs chromium).
"""

import argparse
import base64
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time
import http.client
import resource
import tempfile
import threading

from desk_accounts import PASSWORDS, sign_in, write_accounts

HERE = os.path.dirname(os.path.abspath(__file__))
SANITIZED = False  # set from --sanitized


class Page:
    """A WebSocket client that reads and sends text messages."""

    def __init__(self, port, query, cookie="", origin=None, host=None, expect=101, rcvbuf=None, tls=None):
        self.sock = socket.socket()
        if rcvbuf:  # a small window, so what the page does not read stays on the server
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        if tls:
            self.sock = tls.wrap_socket(self.sock, server_hostname="localhost")
        key = base64.b64encode(os.urandom(16)).decode()
        host = host or f"127.0.0.1:{port}"
        origin = f"http://127.0.0.1:{port}" if origin is None else origin
        extra = (f"Origin: {origin}\r\n" if origin else "") + (f"Cookie: {cookie}\r\n" if cookie else "")
        self.sock.sendall((f"GET /ws?{query} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n{extra}"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            head += chunk
        self.status = int(head.split(b" ", 2)[1]) if head else 0
        self.head = head
        assert self.status == expect, (expect, head[:300])
        self.buf = head.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in head else b""
        self.close_code = None

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _frame(self):
        b0, b1 = self._read(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._read(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._read(8))[0]
        return b0, self._read(n)

    def receive(self):
        """The next message as JSON; None when the server closed."""
        b0, data = self._frame()
        opcode = b0 & 0x0F
        while not b0 & 0x80:  # fragments
            b0, more = self._frame()
            data += more
        if opcode == 8:
            self.close_code = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 1005
            self.close_reason = data[2:].decode()
            return None
        return json.loads(data.decode("utf-8"))

    def until(self, what, check, timeout=15):
        deadline = time.monotonic() + timeout
        self.sock.settimeout(timeout)
        while time.monotonic() < deadline:
            m = self.receive()
            if m is None:
                raise AssertionError(f"closed ({self.close_code}) while waiting for {what}")
            if check(m):
                return m
        raise AssertionError(f"timed out waiting for {what}")

    def send(self, obj):
        self.send_text(json.dumps(obj))

    def send_text(self, text):
        self.sock.sendall(self.frame(text))

    def frame(self, text):
        """A masked text frame: the same bytes may be sent again and again."""
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        size = bytes([0x80 | n]) if n < 126 else (bytes([0x80 | 126]) + struct.pack("!H", n) if n < 65536
                                                  else bytes([0x80 | 127]) + struct.pack("!Q", n))
        head = bytes([0x81]) + size
        key = int.from_bytes((mask * (n // 4 + 1))[:n], "big") if n else 0
        return head + mask + (int.from_bytes(data, "big") ^ key).to_bytes(n, "big")

    def close(self):
        self.sock.close()


def get(port, path, cookie="", host=None):
    """(status, content type, body, Location) of a GET, redirects not followed."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Cookie": cookie} if cookie else {}
    if host:
        headers["Host"] = host
    c.request("GET", path, headers=headers)
    r = c.getresponse()
    body = r.read().decode()
    c.close()
    return r.status, r.getheader("Content-Type", ""), body, r.getheader("Location", "")


def start(server_bin, *extra, env=None, preexec_fn=None):
    """The server on a free port with `extra` options; (process, port)."""
    proc = subprocess.Popen([server_bin, "--port", "0", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=preexec_fn)
    line = proc.stdout.readline() + proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise AssertionError(f"the server prints its URL: {line!r} {proc.stderr.read()!r}")
    return proc, int(m.group(1))


def stop(proc):
    proc.terminate()
    try:
        out, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    assert proc.returncode in (0, -15), (proc.returncode, err)
    return err


def check_usage_errors(server, accounts):
    """Errors a person may hit say what to do."""
    bad = subprocess.run([server, "--script", "no-such-script.yaml"], capture_output=True, text=True)
    assert bad.returncode == 1 and "not found" in bad.stderr and "--script" in bad.stderr, bad.stderr
    bad = subprocess.run([server, "--agents", "zero"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--agents" in bad.stderr, bad.stderr
    bad = subprocess.run([server, "--sla-amber", "30", "--sla-red", "20"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--sla-red (20 s) must be more than --sla-amber (30 s)" in bad.stderr, bad.stderr
    bad = subprocess.run([server, "--speed=0"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--speed" in bad.stderr, bad.stderr
    ok = subprocess.run([server, "--help"], capture_output=True, text=True)
    assert ok.returncode == 0 and "--accounts" in ok.stdout and "hash-password" in ok.stdout, ok.stdout
    ok = subprocess.run([server, "--port=0", "--run-for=1", "--agents=1"], capture_output=True, text=True)
    assert ok.returncode == 0 and "1 agents" in ok.stdout and "nobody can sign in" in ok.stderr, (ok.stdout, ok.stderr)
    bad = subprocess.run([server, "hash-password"], input="", capture_output=True, text=True)
    assert bad.returncode == 2 and "no password" in bad.stderr, bad.stderr
    bad = subprocess.run([server, "--tls-cert", "x.pem"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--tls-key" in bad.stderr, bad.stderr
    bad = subprocess.run([server, "--port", "0", "--tls-cert", "no-cert.pem", "--tls-key", "no-key.pem"],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "no-cert.pem" in bad.stderr and "--tls-cert FILE" in bad.stderr, bad.stderr
    bad = subprocess.run([server, "--port", "0", "--audit-log", "/no/such/dir/audit.log"], capture_output=True, text=True)
    assert bad.returncode == 1 and "--audit-log FILE" in bad.stderr, bad.stderr
    # Beyond loopback without TLS: refused, unless the operator says --insecure-bind.
    bad = subprocess.run([server, "--host", "0.0.0.0", "--port", "0", "--run-for", "1"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--insecure-bind" in bad.stderr and "--tls-cert" in bad.stderr, bad.stderr
    ok = subprocess.run([server, "--host", "0.0.0.0", "--insecure-bind", "--port", "0", "--run-for", "1",
                         "--server-name", "desk.test"], capture_output=True, text=True)
    assert ok.returncode == 0 and "warning" in ok.stderr and "unencrypted" in ok.stderr, ok.stderr
    assert re.search(r"open http://desk\.test:\d+/", ok.stdout), ok.stdout
    # An accounts file with mistakes: each names its line and column.
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "bad.accounts")
        with open(path, "w") as f:
            f.write("ana agent seat=agent09 $argon2id$x\nbob boss $argon2id$x\n")
        bad = subprocess.run([server, "--port", "0", "--accounts", path], capture_output=True, text=True)
        assert bad.returncode == 1, bad.stderr
        assert f"{path}:2:5: error: unknown role `boss`" in bad.stderr, bad.stderr
    with open(accounts) as f:
        lines = f.read()
    assert "$argon2id$" in lines and "ana-secret" not in lines, "passwords are kept hashed"
    return 4


def check_doors(port, cookies):
    """Nothing without a session; nothing from another site's page."""
    status, _, _, location = get(port, "/")
    assert status == 303 and location == "/sign-in", (status, location)
    status, ctype, body, _ = get(port, "/sign-in")
    assert status == 200 and 'action="/sign-in"' in body, status
    no, r = sign_in("127.0.0.1", port, "ana", "wrong password")
    assert no is None and r.status == 401, r.status
    no, r = sign_in("127.0.0.1", port, "ana", PASSWORDS["ana"], origin="http://evil.example")
    assert no is None and r.status == 403, r.status
    # A burst of guesses: a few wait for their (slow) check, the rest are turned away at once.
    statuses = []
    burst = [threading.Thread(target=lambda: statuses.append(sign_in("127.0.0.1", port, "ana", "guess")[1].status))
             for _ in range(16)]
    for t in burst:
        t.start()
    for t in burst:
        t.join()
    assert set(statuses) == {401, 503} and statuses.count(401) >= 4, statuses
    status, _, _, location = get(port, "/", cookie=cookies["ana"])
    assert status == 303 and location == "/?view=agent&name=agent01", (status, location)
    status, ctype, body, _ = get(port, "/?view=agent&name=agent01", cookie=cookies["ana"])
    assert status == 200 and "desk.js" in body, status
    status, _, body, _ = get(port, "/session", cookie=cookies["tom"])
    assert status == 200 and json.loads(body)["home"] == "/?view=trainee&name=trainee01&follow=agent01", body
    status, _, _, _ = get(port, "/session")
    assert status == 401, "the page asks whether it is signed out: it is"
    status, _, _, _ = get(port, "/../CMakeLists.txt", cookie=cookies["ana"])
    assert status == 404, status
    # The WebSocket: 401 signed out (or with a made-up cookie), 403 from a
    # foreign Origin, without one, or by a name pointed at the desk's address.
    Page(port, "view=supervisor", expect=401).close()
    Page(port, "view=supervisor", cookie="patter_session=" + "0" * 64, expect=401).close()
    Page(port, "view=supervisor", cookie=cookies["sue"], origin="http://evil.example", expect=403).close()
    Page(port, "view=supervisor", cookie=cookies["sue"], origin="", expect=403).close()
    Page(port, "view=supervisor", cookie=cookies["sue"], host=f"evil.example:{port}",
         origin=f"http://evil.example:{port}", expect=403).close()
    return 3


def check_roles(port, cookies):
    """An agent sees and acts on their robots' calls only; a trainee only listens."""
    agent = Page(port, "view=agent&name=agent01", cookie=cookies["ana"])
    snap = agent.until("the snapshot", lambda m: m["type"] == "snapshot")
    assert snap["hello"]["script"]["id"] == "solar_survey_booking", snap["hello"]["script"]
    assert "ask_owner" in [n["name"] for n in snap["hello"]["nodes"]]
    assert (snap["hello"]["sla_amber_ms"], snap["hello"]["sla_red_ms"]) == (10000, 30000), "the SLA colours' defaults"
    assert "stand_in" in snap["summary"]["people"][0] and "utilisation" in snap["summary"]["people"][0]
    assert list(snap["history"]) == ["agent01"], "an agent's shift history: their own"
    assert all(c["agent"] == "agent01" for c in snap["calls"]), "an agent's snapshot: their calls only"
    assert snap["signed_in"] == "ana" and snap["name"] == "agent01", snap["signed_in"]
    assert [p["name"] for p in snap["summary"]["people"]] == ["agent01"], "an agent's summary: their load only"
    if snap["summary"]["people"][0]["stand_in"]:  # the simulated stand-in finishes its call first
        agent.until("the seat free of the stand-in", lambda m: m["type"] == "summary"
                    and not m["summary"]["people"][0]["stand_in"], timeout=60)
    waiting = agent.until("an escalated call of agent01's",
                          lambda m: m["type"] == "call" and m["call"]["waiting"] and m["call"]["agent"] == "agent01")
    call = waiting["call"]["id"]
    assert waiting["ts"] > 1.5e12, "updates carry the server's wall clock"

    # The agent's own call: grabbed, with the script's suggestions.
    agent.send({"cmd": "hand_back", "call": call, "node": "ask_owner"})
    refused = agent.until("a refusal", lambda m: m["type"] == "refused")
    assert "take the call first" in refused["text"], refused
    # The call may end before the grab lands (the customer hangs up): then the next one.
    grabbed = None
    for _ in range(6):
        agent.send({"cmd": "grab", "call": call})
        got = agent.until("the suggestions after the grab", lambda m: (m["type"] == "assist" and m["call"] == call)
                          or m["type"] == "refused")
        if got["type"] == "assist":
            assert got["assist"]["lines"], got
            grabbed = call
            break
        if "on a call" in got["text"]:  # the desk has put the agent on one already
            break
        call = agent.until("another escalated call", lambda m: m["type"] == "call" and m["call"]["waiting"]
                           and m["call"]["agent"] == "agent01")["call"]["id"]
    summary = agent.until("a summary", lambda m: m["type"] == "summary")
    assert [p["name"] for p in summary["summary"]["people"]] == ["agent01"], summary["summary"]["people"]
    call = summary["summary"]["people"][0]["talking"] or call
    assert call, "the agent is on a call"

    # Another person's view is refused, whoever asks for it.
    for who, query in (("ben", "view=agent&name=agent01"), ("tom", "view=agent&name=agent01"),
                       ("tom", "view=trainee&name=trainee01&follow=agent02"), ("ana", "view=supervisor")):
        p = Page(port, query, cookie=cookies[who])
        assert p.receive() is None and p.close_code == 1008 and "signed in as " + who in p.close_reason, (who, query)
        p.close()

    # A trainee listens in on agent01, and can do nothing to the call.
    trainee = Page(port, "view=trainee&name=trainee01&follow=agent01", cookie=cookies["tom"])
    trainee.until("the trainee's snapshot", lambda m: m["type"] == "snapshot")
    for cmd in ({"cmd": "grab", "call": call}, {"cmd": "take_next"},
                {"cmd": "reply", "call": call, "text": "hello"}, {"cmd": "end", "call": call, "reason": "completed"}):
        trainee.send(cmd)
        trainee.until("a refusal of " + cmd["cmd"], lambda m: m["type"] == "refused")
    # Another agent cannot take, speak on or end agent01's robots' calls.
    other = Page(port, "view=agent&name=agent02", cookie=cookies["ben"])
    snap = other.until("agent02's snapshot", lambda m: m["type"] == "snapshot")
    assert all(c["agent"] == "agent02" or c["with"] == "agent02" for c in snap["calls"]), \
        "agent02 sees none of agent01's calls (but one their stand-in took from the queue)"
    other.send({"cmd": "grab", "call": call})
    refused = other.until("a refusal of another agent's call", lambda m: m["type"] == "refused")
    assert "not one of your robots'" in refused["text"] or "someone else" in refused["text"], refused
    for cmd in ({"cmd": "reply", "call": call, "text": "hi"}, {"cmd": "end", "call": call, "reason": "completed"}):
        other.send(cmd)
        refused = other.until("a refusal of " + cmd["cmd"], lambda m: m["type"] == "refused")
        assert "take the call first" in refused["text"], refused

    # The agent goes on: bad commands refused, then a reply and the end.
    agent.send({"cmd": "hand_back", "call": call, "node": "no_such_node"})
    refused = agent.until("a refusal", lambda m: m["type"] == "refused")
    assert "no_such_node" in refused["text"], refused
    agent.send({"cmd": "reply", "call": call, "text": "\ud800"})  # a lone surrogate
    refused = agent.until("a refusal of text that is not UTF-8", lambda m: m["type"] == "refused")
    assert "UTF-8" in refused["text"] or "JSON" in refused["text"], refused
    agent.send({"cmd": "reply", "call": call, "text": "Let me tell you about financing."})
    agent.until("the reply in the transcript", lambda m: m["type"] == "line" and m["call"] == call and m["who"] == "agent")
    agent.send({"cmd": "end", "call": call, "reason": "completed"})
    ended = agent.until("the call ended by the person",
                        lambda m: m["type"] == "call" and m["call"]["id"] == call and m["call"]["phase"] == "ended")
    assert ended["call"]["outcome"] == "escalated" and ended["call"]["hangup"] == "completed", ended["call"]

    # A supervisor sees every agent's calls and every person, and acts on none.
    sup = Page(port, "view=supervisor", cookie=cookies["sue"])
    snap = sup.until("the supervisor's snapshot", lambda m: m["type"] == "snapshot")
    assert {c["agent"] for c in snap["calls"]} >= {"agent01", "agent02"}, "the wall shows every agent's calls"
    assert {p["name"] for p in snap["summary"]["people"]} >= {"agent01", "agent02", "trainee01"}, "and every person"
    sup.send({"cmd": "grab", "call": snap["calls"][0]["id"]})
    refused = sup.until("a refusal", lambda m: m["type"] == "refused")
    assert "watches" in refused["text"], refused
    for p in (agent, trainee, other, sup):
        p.close()
    return call, grabbed


def check_commands(port, cookies):
    """Call ids are numbers from 1; refusals quote a short prefix only."""
    page = Page(port, "view=agent&name=agent02", cookie=cookies["ben"])
    page.until("the snapshot", lambda m: m["type"] == "snapshot")
    for bad in ('"12"', "-1", "0", "1.5", "18446744073709551616", "1e30", "null"):
        page.send_text('{"cmd":"grab","call":%s}' % bad)
        refused = page.until("a refusal of call " + bad, lambda m: m["type"] == "refused")
        assert "call number" in refused["text"], (bad, refused)
    page.send_text('{"cmd":"grab"}')
    refused = page.until("a refusal of a grab without a call", lambda m: m["type"] == "refused")
    assert "`call` is missing" in refused["text"], refused
    big = '{"cmd":"' + "x" * (64 * 1024 - 20) + '"}'
    page.send_text(big)
    refused = page.until("a refusal of a 64 KB command", lambda m: m["type"] == "refused")
    assert len(refused["text"]) < 200 and "unknown command" in refused["text"], len(refused["text"])
    page.send_text("{" + "y" * 60000)
    refused = page.until("a refusal of 60 KB that is not JSON", lambda m: m["type"] == "refused")
    assert len(refused["text"]) < 200 and "not JSON" in refused["text"], len(refused["text"])
    page.close()


def refusal_of(page, cmd, what):
    page.send(cmd)
    return page.until(what, lambda m: m["type"] == "refused")["text"]


def check_supervisor_commands(port, cookies):
    """Whisper, barge, take over, reassign, note: bad input, not permitted, unknown calls, the desk's refusals."""
    agent = Page(port, "view=agent&name=agent01", cookie=cookies["ana"])
    agent.until("the snapshot", lambda m: m["type"] == "snapshot")
    sup = Page(port, "view=supervisor", cookie=cookies["sue"])
    sup.until("the supervisor's snapshot", lambda m: m["type"] == "snapshot")
    # ana on a call of hers (the call may end before the grab lands: then the next)
    call = None
    for _ in range(6):
        waiting = agent.until("an escalated call of agent01's", lambda m: m["type"] == "call" and m["call"]["waiting"]
                              and not m["call"]["with"])["call"]["id"]
        agent.send({"cmd": "grab", "call": waiting})
        got = agent.until("the grab", lambda m: (m["type"] == "assist" and m["call"] == waiting) or m["type"] == "refused")
        if got["type"] == "assist":
            call = waiting
            break
    assert call, "ana took a call"
    # Bad input.
    for cmd, why in (({"cmd": "whisper"}, "`call` is missing"), ({"cmd": "whisper", "call": "7"}, "call number"),
                     ({"cmd": "reassign", "call": call, "to": 5}, "`to` must be a string"),
                     ({"cmd": "whisper", "call": call, "text": "   "}, "no words"),
                     ({"cmd": "note", "call": call, "text": ""}, "no words"),
                     ({"cmd": "reassign", "call": call, "to": "nobody"}, "no agent `nobody`"),
                     ({"cmd": "reassign", "call": call, "to": "trainee01"}, "no agent `trainee01`")):
        text = refusal_of(sup, cmd, f"a refusal of {cmd}")
        assert why in text, (cmd, text)
    # Not permitted: agents and trainees are no supervisors.
    trainee = Page(port, "view=trainee&name=trainee01&follow=agent01", cookie=cookies["tom"])
    trainee.until("the trainee's snapshot", lambda m: m["type"] == "snapshot")
    for page in (agent, trainee):
        for cmd in ({"cmd": "whisper", "call": call, "text": "psst"}, {"cmd": "barge", "call": call},
                    {"cmd": "take_over", "call": call}, {"cmd": "reassign", "call": call, "to": "agent02"},
                    {"cmd": "note", "call": call, "text": "n"}, {"cmd": "watch", "call": call}):
            text = refusal_of(page, cmd, f"a refusal of {cmd['cmd']}")
            assert "only a supervisor" in text, (cmd, text)
    # Unknown calls.
    for cmd in ({"cmd": "whisper", "call": 999999, "text": "psst"}, {"cmd": "take_over", "call": 999999},
                {"cmd": "reassign", "call": 999999, "to": "agent02"}, {"cmd": "watch", "call": 999999}):
        assert refusal_of(sup, cmd, "a refusal of an unknown call") == "that call has ended", cmd
    # The desk's own refusals: each says why.
    assert "whisper or barge in instead" in refusal_of(sup, {"cmd": "take_over", "call": call}, "take over of ana's call")
    assert "has that call" in refusal_of(sup, {"cmd": "reassign", "call": call, "to": "agent02"},
                                         "reassign of a call ana has")
    assert "barge in or take the call over" in refusal_of(sup, {"cmd": "reply", "call": call, "text": "hi"}, "a reply")
    assert "take the call over first" in refusal_of(sup, {"cmd": "end", "call": call, "reason": "completed"}, "an end")
    assert "agents grab" in refusal_of(sup, {"cmd": "hand_back", "call": call, "node": "ask_owner"}, "a hand-back")
    assert "you could speak to" in refusal_of(sup, {"cmd": "leave", "call": call}, "leaving a call not barged into")
    # What works: the supervisor follows the call, whispers (ana hears it), barges in and speaks.
    sup.send({"cmd": "watch", "call": call})
    watched = sup.until("the watched call", lambda m: m["type"] == "watch")
    assert watched["call"]["id"] == call and any(l["text"] for l in watched["call"]["lines"]), watched
    sup.send({"cmd": "whisper", "call": call, "text": "ask about the roof"})
    heard = agent.until("the whisper on ana's page", lambda m: m["type"] == "line" and m["call"] == call
                        and m.get("key") == "whispered")
    assert heard["text"] == "ask about the roof" and heard["by"] == "sue", heard
    sup.until("the whisper on the watching page", lambda m: m["type"] == "line" and m.get("key") == "whispered")
    sup.send({"cmd": "barge", "call": call})
    agent.until("sue joining", lambda m: m["type"] == "line" and m.get("key") == "barged" and m["arg"] == "sue")
    assert "has that call" in refusal_of(sup, {"cmd": "barge", "call": call}, "a second barge")
    sup.send({"cmd": "reply", "call": call, "text": "Sue here, the team lead."})
    said = agent.until("sue's words in the transcript", lambda m: m["type"] == "line" and m["who"] == "supervisor")
    assert said["by"] == "sue" and said["text"] == "Sue here, the team lead.", said
    sup.send({"cmd": "note", "call": call, "text": "good pace"})
    notes = sup.until("the call's notes", lambda m: m["type"] == "notes")
    assert notes["notes"][0]["author"] == "sue" and notes["notes"][0]["text"] == "good pace", notes
    sup.send({"cmd": "leave", "call": call})
    agent.until("sue leaving", lambda m: m["type"] == "line" and m.get("key") == "left")
    for p in (agent, trainee, sup):
        p.close()
    return call


def check_no_inherited_calls(server, accounts):
    """A page opened while the agent's simulated stand-in is on a call: the stand-in finishes it."""
    proc, port = start(server, "--agents", "2", "--speed", "20", "--accounts", accounts,
                       "--personas", os.path.join(HERE, "eager.personas.yaml"))
    try:
        cookies = {n: sign_in("127.0.0.1", port, n, PASSWORDS[n])[0] for n in ("ana", "sue")}
        sup = Page(port, "view=supervisor", cookie=cookies["sue"])
        # The page opens while the stand-in is on a call (its call may end
        # first: then the page closes and waits for the next one).
        for _ in range(8):
            sup.until("the stand-in on a call", lambda m: m["type"] == "call" and m["call"]["with"] == "agent01"
                      and m["call"]["phase"] != "ended", timeout=30)
            agent = Page(port, "view=agent&name=agent01", cookie=cookies["ana"])
            snap = agent.until("the snapshot", lambda m: m["type"] == "snapshot")
            if snap["summary"]["people"][0]["stand_in"]:
                break
            agent.close()
        else:
            raise AssertionError("the page never opened while the stand-in was on a call")
        mine = [c for c in snap["calls"] if c["with"] == "agent01"]
        assert len(mine) == 1 and mine[0]["stand_in"], f"the call is the stand-in's, not the page's: {mine}"
        taken = mine[0]["id"]
        text = refusal_of(agent, {"cmd": "reply", "call": taken, "text": "hello?"}, "a reply on the stand-in's call")
        assert "stand-in is finishing call #" in text, text
        text = refusal_of(agent, {"cmd": "take_next"}, "taking the next call meanwhile")
        assert "stand-in" in text, text
        # The stand-in ends its call; then the seat is the page's, and nobody takes calls for it.
        agent.until("the stand-in's call ended", lambda m: m["type"] == "call" and m["call"]["id"] == taken
                    and m["call"]["phase"] == "ended", timeout=30)
        agent.until("the seat free", lambda m: m["type"] == "summary" and not m["summary"]["people"][0]["stand_in"])
        deadline = time.monotonic() + 3
        agent.sock.settimeout(3)
        while time.monotonic() < deadline:
            m = agent.receive()
            assert not (m["type"] == "line" and m.get("key") == "joined" and m.get("arg") == "agent01"), \
                f"a call joined agent01 without the page: {m}"
        agent.close()
        sup.close()
    finally:
        stop(proc)


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def check_slow_page(proc, port, cookies):
    """A page that never reads is cut off at --send-queue-bytes; memory stays flat."""
    before = rss_kb(proc.pid)
    page = Page(port, "view=supervisor", cookie=cookies["sue"], rcvbuf=4096)
    # 16 KB commands, each refused: quoted whole, 20,000 unread refusals
    # would pin 320 MB; quoted short and bounded in bytes, the page is cut off.
    frame = page.frame('{"cmd":"%s"}' % ("z" * (16 * 1024)))
    cut = False
    started = time.monotonic()
    # Under AddressSanitizer, beside other tests, the server reads the
    # frames several times slower: give it longer to fill the queue.
    patience = 180 if SANITIZED else 60
    try:
        while time.monotonic() < started + patience:
            page.sock.sendall(frame)
    except OSError:
        cut = True
    assert cut, "a page that does not read is cut off"
    print(f"  cut off after {time.monotonic() - started:.1f} s")
    after = rss_kb(proc.pid)
    if SANITIZED:  # AddressSanitizer keeps freed memory in quarantine: RSS says nothing
        print(f"  memory grew {after - before} KB (sanitized build: not checked)")
    else:
        assert after - before < 64 * 1024, f"memory grew {after - before} KB for one page"
    page.close()
    return after - before


def check_caps(server, accounts, cookies_for):
    """Pages per person and connections in total are capped."""
    proc, port = start(server, "--agents", "2", "--accounts", accounts, "--max-pages-per-person", "2",
                       "--max-connections", "6")
    try:
        cookie = cookies_for(port)["ana"]
        pages = [Page(port, "view=agent&name=agent01", cookie=cookie) for _ in range(2)]
        Page(port, "view=agent&name=agent01", cookie=cookie, expect=503).close()
        time.sleep(0.5)  # until the server has seen the refused page's and the sign-in's connections close
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
        time.sleep(0.3)
        over = socket.create_connection(("127.0.0.1", port))
        over.settimeout(5)
        assert over.recv(1) == b"", "a connection past --max-connections is closed at once"
        for c in idle + [over]:
            c.close()
        # A page sending commands faster than --commands-per-second (20, bursts of 40) is closed.
        flood = pages.pop()
        flood.until("the snapshot", lambda m: m["type"] == "snapshot")
        for _ in range(100):
            flood.send({"cmd": "take_next"})
        while flood.receive() is not None:  # refusals, then the close
            pass
        assert flood.close_code == 1008 and "too many commands" in flood.close_reason, flood.close_code
        flood.close()
        Page(port, "view=agent&name=agent01", cookie=cookie).close()  # its place is free again
        for p in pages:
            p.close()
    finally:
        stop(proc)


def check_open_file_limit(server, accounts):
    """At the open-file limit the accept loop waits instead of spinning."""
    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (48, 48))

    proc, port = start(server, "--agents", "2", "--accounts", accounts, "--max-connections", "1000",
                       preexec_fn=low_limit)
    conns = []
    try:
        for _ in range(80):
            conns.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.5)
        def cpu():
            with open(f"/proc/{proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        t0 = cpu()
        time.sleep(2)
        used = cpu() - t0
        assert used < 0.6, f"the server used {used:.2f} s of CPU in 2 s at the open-file limit"
        for c in conns:
            c.close()
        conns = []
        time.sleep(1.5)
        status, _, _, _ = get(port, "/sign-in")
        assert status == 200, "serves again once files are free"
    finally:
        for c in conns:
            c.close()
        err = stop(proc)
    assert "cannot accept connections" in err, err
    return used


def check_tls(server, accounts, d):
    """--tls-cert/--tls-key: https, wss, and a Secure cookie; 0.0.0.0 allowed."""
    import ssl
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                           "-days", "1", "-subj", "/CN=localhost"], capture_output=True)
    if made.returncode != 0:
        print("  (no openssl command: TLS not checked)")
        return False
    proc = subprocess.Popen([server, "--port", "0", "--host", "0.0.0.0", "--server-name", "localhost",
                             "--tls-cert", cert, "--tls-key", key, "--accounts", accounts, "--agents", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() + proc.stdout.readline()
        m = re.search(r"open https://localhost:(\d+)/", line)
        assert m, line
        port = int(m.group(1))
        ctx = ssl.create_default_context(cafile=cert)
        c = http.client.HTTPSConnection("localhost", port, context=ctx, timeout=10)
        c.request("POST", "/sign-in", "name=sue&password=" + PASSWORDS["sue"],
                  {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://localhost:{port}"})
        r = c.getresponse()
        r.read()
        cookie = r.getheader("Set-Cookie") or ""
        assert r.status == 303 and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie, cookie
        c.close()
        # wss://: the supervisor's page over TLS; a plain-text client gets no upgrade.
        page = Page(port, "view=supervisor", cookie=cookie.split(";", 1)[0], host=f"localhost:{port}",
                    origin=f"https://localhost:{port}", tls=ctx)
        page.until("the supervisor's snapshot over wss", lambda m: m["type"] == "snapshot")
        page.close()
        Page(port, "view=supervisor", cookie=cookie.split(";", 1)[0], expect=0).close()
    finally:
        stop(proc)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--sanitized", action="store_true",
                    help="the server is built with the sanitizers: resident memory and the "
                         "open-file limit are not checked")
    args = ap.parse_args()
    global SANITIZED
    SANITIZED = args.sanitized
    with tempfile.TemporaryDirectory() as d:
        accounts = write_accounts(args.server, os.path.join(d, "desk.accounts"))
        audit = os.path.join(d, "audit.log")
        checks = check_usage_errors(args.server, accounts)

        def cookies_for(port):
            return {name: sign_in("127.0.0.1", port, name, PASSWORDS[name])[0] for name in PASSWORDS}

        proc, port = start(args.server, "--agents", "2", "--speed", "10", "--accounts", accounts,
                           "--audit-log", audit, "--send-queue-bytes", "65536", "--commands-per-second", "1000000",
                           "--personas", os.path.join(HERE, "eager.personas.yaml"))
        try:
            # The same port again: in use, and the message says what to do.
            busy = subprocess.run([args.server, "--port", str(port), "--run-for", "1"], capture_output=True, text=True)
            assert busy.returncode == 1 and "in use" in busy.stderr and "--port 0" in busy.stderr, busy.stderr
            cookies = cookies_for(port)
            assert all(cookies.values()), cookies
            checks += 1 + check_doors(port, cookies)
            call, grabbed = check_roles(port, cookies)
            checks += 6
            check_commands(port, cookies)
            checks += 3
            whispered = check_supervisor_commands(port, cookies)
            checks += 5
            grew = check_slow_page(proc, port, cookies)
            print(f"  a page that never reads: cut off, memory grew {grew} KB")
            checks += 1
            # Signed out: the cookie opens nothing any more.
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("POST", "/sign-out", headers={"Cookie": cookies["ben"], "Origin": f"http://127.0.0.1:{port}"})
            r = c.getresponse()
            assert r.status == 303 and "Max-Age=0" in (r.getheader("Set-Cookie") or ""), r.status
            Page(port, "view=agent&name=agent02", cookie=cookies["ben"], expect=401).close()
            checks += 1
        finally:
            err = stop(proc)
        assert "cutting it off" in err, err
        with open(audit) as f:
            log = f.read()
        for action in ("reply", "end") + (("grab",) if grabbed == call else ()):
            assert re.search(rf"^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ {action} call={call} by=ana seat=agent01", log, re.M), log
        assert re.search(rf"Z refused call={call} by=tom seat=trainee01 cmd=grab", log), log
        for action in ("whisper", "barge", "note", "leave"):
            assert re.search(rf"Z {action} call={whispered} by=sue", log), (action, log)
        assert re.search(rf"Z refused call={whispered} by=ana seat=agent01 cmd=whisper", log), log
        checks += 1

        check_no_inherited_calls(args.server, accounts)
        checks += 1

        check_caps(args.server, accounts, cookies_for)
        checks += 2
        if SANITIZED:
            # The sanitizers' runtime needs descriptors of its own (clang's
            # UBSan probes memory through a pipe) and reports every check it
            # cannot make at the limit: the unsanitized build runs this one.
            print("  at the open-file limit: not checked (sanitized build)")
        else:
            used = check_open_file_limit(args.server, accounts)
            print(f"  at the open-file limit: {used:.2f} s of CPU in 2 s")
            checks += 1
        checks += check_tls(args.server, accounts, d)
    print(f"{checks} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
