#!/usr/bin/python3
"""A static HTTPS server on loopback for the metadata-URL tests.

  metadata_https.py DIR CERT KEY PORT

serves the files of DIR at https://127.0.0.1:PORT/NAME with CERT and KEY.
Two paths answer a redirect instead:
  /redirect/NAME       302 to https://127.0.0.1:PORT/NAME
  /redirect-http/NAME  302 to http://127.0.0.1:PORT/NAME (not HTTPS)
A missing file is a 404.
"""
import http.server
import os
import ssl
import sys


def main(directory, cert, key, port):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            for prefix, scheme in (("/redirect/", "https"), ("/redirect-http/", "http")):
                if self.path.startswith(prefix):
                    self.send_response(302)
                    self.send_header("Location", "%s://127.0.0.1:%s/%s"
                                     % (scheme, port, self.path[len(prefix):]))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            path = os.path.join(directory, os.path.basename(self.path))
            if not os.path.isfile(path):
                self.send_error(404)
                return
            body = open(path, "rb").read()
            self.send_response(200)
            self.send_header("Content-Type", "application/samlmetadata+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:5])
