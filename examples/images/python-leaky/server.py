# A TCP server that reads every connection to its end and never closes one: each connection a client closes stays
# in CLOSE_WAIT while the process lives. It binds without SO_REUSEADDR, so a restart meets its port's TIME_WAIT.
import socket
import sys
import threading

port = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("0.0.0.0", port))
listener.listen(64)
print(f"listening on port {port}", flush=True)
held = []  # every accepted socket stays referenced, so that nothing closes it


def read_to_end(conn):
    while conn.recv(4096):
        pass


while True:
    conn, _ = listener.accept()
    held.append(conn)
    threading.Thread(target=read_to_end, args=(conn,), daemon=True).start()
