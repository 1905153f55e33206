"""A small W3C WebDriver client over Python's standard library.

Enough of the protocol to drive Debian's chromium through chromedriver
(Debian's chromium-driver): start a headless browser, open pages, find
elements by CSS, click, type, run JavaScript, open tabs, take screenshots.
No package from outside the standard library, so the browser test runs on
a machine that reaches nothing but Debian's archive.
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C key of an element reference

# Flags for a headless Chromium that runs as root in a container and never
# reaches out to the network on its own.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1500,1000",
    # The desk beeps when a call escalates: let its sound play without a click first.
    "--autoplay-policy=no-user-gesture-required",
]


KEY_CONTROL = "\ue009"
KEY_ENTER = "\ue007"
KEY_ESCAPE = "\ue00c"


class WebDriverError(RuntimeError):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_browser():
    """(chromium, chromedriver) paths, or None when either is missing."""
    chromium = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
    if not chromium or not driver:
        return None
    return chromium, driver


class Browser:
    """One chromedriver process and one browser session."""

    def __init__(self, chromium, chromedriver, log_dir):
        self.profile = tempfile.mkdtemp(prefix="patter-chromium-")
        self.port = free_port()
        self.log = open(os.path.join(log_dir, "chromedriver.log"), "w")
        self.driver = subprocess.Popen([chromedriver, f"--port={self.port}"], stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if self._request("GET", "/status", timeout=2).get("ready"):
                    break
            except (OSError, WebDriverError):
                pass
            if time.monotonic() > deadline:
                self.close()
                raise WebDriverError("chromedriver did not start (see chromedriver.log)")
            time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": CHROMIUM_FLAGS + [f"--user-data-dir={self.profile}"]},
        }}}
        try:
            self.session = self._request("POST", "/session", caps, timeout=60)["sessionId"]
        except Exception:
            self.close()
            raise

    # ---- protocol ----------------------------------------------------------------------

    def _request(self, method, path, body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                answer = json.load(r)
        except urllib.error.HTTPError as e:
            try:
                value = json.load(e).get("value", {})
            except ValueError:
                value = {}
            raise WebDriverError(f"{method} {path}: {value.get('error', e.code)}: {value.get('message', '')[:300]}")
        return answer.get("value")

    def _session(self, method, path, body=None, timeout=30):
        return self._request(method, f"/session/{self.session}{path}", body, timeout)

    # ---- what a test does --------------------------------------------------------------

    def get(self, url):
        self._session("POST", "/url", {"url": url}, timeout=60)

    def find_all(self, css, within=None):
        where = f"/element/{within}" if within else ""
        found = self._session("POST", f"{where}/elements", {"using": "css selector", "value": css})
        return [e[ELEMENT] for e in found]

    def find(self, css, within=None):
        found = self.find_all(css, within)
        return found[0] if found else None

    def click(self, element):
        self._session("POST", f"/element/{element}/click", {})

    def type(self, element, text):
        self._session("POST", f"/element/{element}/value", {"text": text})

    def text(self, element):
        return self._session("GET", f"/element/{element}/text")

    def attribute(self, element, name):
        return self._session("GET", f"/element/{element}/attribute/{name}")

    def keys(self, *keys):
        """Key presses to whatever has the focus (W3C actions): each item a
        character, or a tuple of keys held together (KEY_CONTROL, KEY_ENTER)."""
        actions = []
        for k in keys:
            held = k if isinstance(k, tuple) else (k,)
            actions += [{"type": "keyDown", "value": x} for x in held]
            actions += [{"type": "keyUp", "value": x} for x in reversed(held)]
        self._session("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        self._session("DELETE", "/actions")

    def cdp(self, command, params=None):
        """A Chrome DevTools Protocol command through chromedriver."""
        return self._session("POST", "/goog/cdp/execute", {"cmd": command, "params": params or {}})

    def run(self, script, *args):
        return self._session("POST", "/execute/sync", {"script": script, "args": list(args)})

    def new_tab(self):
        handle = self._session("POST", "/window/new", {"type": "tab"})["handle"]
        self._session("POST", "/window", {"handle": handle})
        return handle

    def switch_to(self, handle):
        self._session("POST", "/window", {"handle": handle})

    def window(self):
        return self._session("GET", "/window")

    def screenshot(self, path):
        png = base64.b64decode(self._session("GET", "/screenshot", timeout=60))
        with open(path, "wb") as f:
            f.write(png)
        return path

    def wait_for(self, what, check, timeout=30, every=0.05):
        """Poll `check()` until it returns something true; fail saying `what`."""
        deadline = time.monotonic() + timeout
        while True:
            value = check()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout} s waiting for {what}")
            time.sleep(every)

    def close(self):
        try:
            if getattr(self, "session", None):
                self._request("DELETE", f"/session/{self.session}", timeout=20)
        except (OSError, WebDriverError):
            pass
        if self.driver.poll() is None:
            self.driver.terminate()
            try:
                self.driver.wait(10)
            except subprocess.TimeoutExpired:
                self.driver.kill()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)
