"""A WebSocket client that only reads, over Python's standard library.

The browser test opens a few dozen of these beside the browser so the page
server works for many pages at once, as it would for a room of agents.
Each one counts the messages it gets; a server that cannot keep up with
them closes them, which the test sees.
"""

import base64
import os
import socket
import struct
import threading


class WsReader(threading.Thread):
    def __init__(self, host, port, path, cookie=""):
        super().__init__(daemon=True)
        self.messages = 0
        self.bytes = 0
        self.closed = False
        self.error = None
        self.sock = socket.create_connection((host, port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Origin: http://{host}:{port}\r\nCookie: {cookie}\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the server closed the connection during the handshake")
            head += chunk
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status:
            raise ConnectionError(f"no WebSocket upgrade: {status.decode(errors='replace')}")
        self.buffer = head.split(b"\r\n\r\n", 1)[1]
        self.sock.settimeout(None)

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def run(self):
        try:
            while True:
                b0, b1 = self._read(2)
                length = b1 & 0x7F
                if length == 126:
                    length = struct.unpack("!H", self._read(2))[0]
                elif length == 127:
                    length = struct.unpack("!Q", self._read(8))[0]
                self._read(length)
                opcode = b0 & 0x0F
                if opcode == 8:  # close
                    break
                if b0 & 0x80 and opcode in (0, 1, 2):
                    self.messages += 1
                    self.bytes += length
        except (OSError, EOFError) as e:
            self.error = e
        self.closed = True

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
