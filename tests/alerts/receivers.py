"""Local receivers for notification tests: a tiny SMTP server and an HTTP endpoint that fails first.

Both run in a thread on 127.0.0.1 with a free port and record what they were sent.
"""

import socketserver
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


class SmtpReceiver(socketserver.ThreadingTCPServer):
    """Enough of RFC 5321 for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        self.messages: list[dict] = []
        super().__init__(("127.0.0.1", 0), _SmtpHandler)

    @property
    def port(self):
        return self.server_address[1]


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 test ESMTP")
        envelope = {"from": None, "to": []}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                envelope = {"from": command[10:].strip("<> "), "to": []}
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command[8:].strip("<> "))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data)
                envelope["data"] = b"".join(lines)
                self.server.messages.append(envelope)
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class FlakyHttpReceiver(HTTPServer):
    """Answers 503 to the first `failures` POSTs, then 204; records every request."""

    def __init__(self, failures: int):
        self.failures = failures
        self.requests: list[dict] = []
        super().__init__(("127.0.0.1", 0), _HttpHandler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _HttpHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append({"headers": dict(self.headers), "body": body})
        status = 503 if len(self.server.requests) <= self.server.failures else 204
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def serve(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server
