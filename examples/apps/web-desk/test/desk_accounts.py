"""Accounts and sign-in for the web desk's tests (standard library only).

    accounts = write_accounts(server_bin, path)          # ana, ben, tom, sue
    cookie = sign_in("127.0.0.1", port, "ana", PASSWORDS["ana"])  # "patter_session=..."
"""

import http.client
import subprocess
import urllib.parse

PASSWORDS = {"ana": "ana-secret-1", "ben": "ben-secret-2", "tom": "tom-secret-3", "sue": "sue-secret-4"}
# name: (role, the rest of the line before the hash)
PEOPLE = {
    "ana": "agent seat=agent01",
    "ben": "agent seat=agent02",
    "tom": "trainee seat=trainee01 follows=agent01",
    "sue": "supervisor",
}


def hash_password(server_bin, password):
    out = subprocess.run([server_bin, "hash-password"], input=password + "\n",
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def write_accounts(server_bin, path, people=None):
    """The accounts file for `people` (default: PEOPLE), one line each."""
    people = people or PEOPLE
    with open(path, "w") as f:
        f.write("# NAME ROLE [seat=...] [follows=...] HASH\n")
        for name, rest in people.items():
            f.write(f"{name} {rest} {hash_password(server_bin, PASSWORDS[name])}\n")
    return path


def sign_in(host, port, name, password, origin=None):
    """The session cookie ("patter_session=...") and the response, or (None, response)."""
    c = http.client.HTTPConnection(host, port, timeout=10)
    body = urllib.parse.urlencode({"name": name, "password": password})
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Origin": origin or f"http://{host}:{port}"}
    c.request("POST", "/sign-in", body, headers)
    r = c.getresponse()
    r.read()
    set_cookie = r.getheader("Set-Cookie") or ""
    c.close()
    if r.status != 303 or not set_cookie.startswith("patter_session="):
        return None, r
    return set_cookie.split(";", 1)[0], r
