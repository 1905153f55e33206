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
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


class Page:
    """A WebSocket client that reads and sends text messages."""

    def __init__(self, port, query):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /ws?{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(4096)
        assert b" 101 " in head.split(b"\r\n", 1)[0], head
        self.buf = head.split(b"\r\n\r\n", 1)[1]
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
        data = json.dumps(obj).encode()
        mask = os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack("!H", n))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def close(self):
        self.sock.close()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    args = ap.parse_args()

    # Errors a person may hit say what to do.
    bad = subprocess.run([args.server, "--script", "no-such-script.yaml"], capture_output=True, text=True)
    assert bad.returncode == 1 and "not found" in bad.stderr and "--script" in bad.stderr, bad.stderr
    bad = subprocess.run([args.server, "--agents", "zero"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--agents" in bad.stderr, bad.stderr

    proc = subprocess.Popen([args.server, "--port", "0", "--agents", "2", "--speed", "10",
                             "--personas", os.path.join(HERE, "eager.personas.yaml")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    checks = 0
    try:
        line = proc.stdout.readline() + proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert m, f"the server prints its URL: {line!r}"
        port = int(m.group(1))
        url = m.group(0)

        # The same port again: in use, and the message says what to do.
        busy = subprocess.run([args.server, "--port", str(port), "--run-for", "1"], capture_output=True, text=True)
        assert busy.returncode == 1 and "in use" in busy.stderr and "--port 0" in busy.stderr, busy.stderr
        checks += 1

        status, ctype, body = get(url)
        assert status == 200 and ctype.startswith("text/html") and "desk.js" in body, (status, ctype)
        status, ctype, body = get(url + "desk.js")
        assert status == 200 and "javascript" in ctype and "patterLatency" in body, (status, ctype)
        status, ctype, _ = get(url + "desk.css")
        assert status == 200 and ctype.startswith("text/css"), (status, ctype)
        status, _, _ = get(url + "../CMakeLists.txt")
        assert status == 404, status
        checks += 1

        # An agent's page: a snapshot with the script, then its robots' calls.
        agent = Page(port, "view=agent&name=agent01")
        snap = agent.until("the snapshot", lambda m: m["type"] == "snapshot")
        assert snap["hello"]["script"]["id"] == "solar_survey_booking", snap["hello"]["script"]
        assert snap["hello"]["agents"] == ["agent01", "agent02"], snap["hello"]["agents"]
        assert "ask_owner" in [n["name"] for n in snap["hello"]["nodes"]]
        assert snap["summary"]["people"], "people in the summary"
        checks += 1
        waiting = agent.until("an escalated call of agent01's",
                              lambda m: m["type"] == "call" and m["call"]["waiting"] and m["call"]["agent"] == "agent01")
        call = waiting["call"]["id"]
        assert waiting["ts"] > 1.5e12, "updates carry the server's wall clock"
        checks += 1

        # Commands: a wrong one is refused with a reason; grab works once.
        agent.send({"cmd": "hand_back", "call": call, "node": "no_such_node"})
        refused = agent.until("a refusal", lambda m: m["type"] == "refused")
        assert "no_such_node" in refused["text"], refused
        agent.send({"cmd": "reply", "call": call, "text": "\ud800"})  # a lone surrogate
        refused = agent.until("a refusal of text that is not UTF-8", lambda m: m["type"] == "refused")
        assert "UTF-8" in refused["text"] or "JSON" in refused["text"], refused
        agent.send({"cmd": "grab", "call": call})
        assist = agent.until("the suggestions after the grab", lambda m: m["type"] == "assist" and m["call"] == call)
        assert assist["assist"]["lines"], assist
        agent.send({"cmd": "grab", "call": call + 1000})
        refused = agent.until("a refusal of a grab", lambda m: m["type"] == "refused")
        assert "ended" in refused["text"] or "busy" in refused["text"], refused
        agent.send({"cmd": "reply", "call": call, "text": "Let me tell you about financing."})
        agent.until("the reply in the transcript",
                    lambda m: m["type"] == "line" and m["call"] == call and m["who"] == "agent")
        agent.send({"cmd": "end", "call": call, "reason": "completed"})
        ended = agent.until("the call ended by the person",
                            lambda m: m["type"] == "call" and m["call"]["id"] == call and m["call"]["phase"] == "ended")
        assert ended["call"]["outcome"] == "escalated" and ended["call"]["hangup"] == "completed", ended["call"]
        checks += 1

        # A supervisor's page watches; it may not take calls.
        sup = Page(port, "view=supervisor")
        snap = sup.until("the supervisor's snapshot", lambda m: m["type"] == "snapshot")
        assert len(snap["calls"]) >= 2, "the wall shows the robots' calls"
        sup.send({"cmd": "grab", "call": snap["calls"][0]["id"]})
        refused = sup.until("a refusal", lambda m: m["type"] == "refused")
        assert "watches" in refused["text"], refused
        checks += 1

        # Views the server does not know are turned away, saying why.
        for query, why in (("view=agent&name=nobody", "no agent"), ("view=boss", "unknown view")):
            p = Page(port, query)
            assert p.receive() is None and p.close_code == 1008 and why in p.close_reason, (p.close_code, query)
            p.close()
        checks += 1
        agent.close()
        sup.close()
    finally:
        proc.terminate()
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    assert proc.returncode in (0, -15), (proc.returncode, err)
    print(f"{checks} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
