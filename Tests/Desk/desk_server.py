"""Starts `tepat serve` on a workspace for the desk's tests, and talks to it."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TEPAT = os.path.join(REPOSITORY, ".build", "release", "tepat")


class Desk:
    """A desk serving a fresh workspace holding a copy of the demo data (and a
    folder outside it, with a symbolic link pointing there)."""

    def __init__(self):
        self.base = tempfile.mkdtemp(prefix="tepat-desk-")
        self.workspace = os.path.join(self.base, "workspace")
        self.outside = os.path.join(self.base, "outside")
        os.makedirs(os.path.join(self.workspace, "Data"))
        shutil.copytree(os.path.join(REPOSITORY, "Data", "demo"), os.path.join(self.workspace, "Data", "demo"))
        shutil.copytree(os.path.join(REPOSITORY, "Data", "demo"), self.outside)
        os.symlink(self.outside, os.path.join(self.workspace, "escape"))
        self.store = os.path.join(self.base, "runs.sqlite")
        self.process = subprocess.Popen(
            [TEPAT, "serve", "--workspace", self.workspace, "--port", "0", "--store", self.store],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("http://"):
            raise RuntimeError(f"tepat serve printed {line!r}; stderr: {self.process.stderr.read()}")
        self.address = line
        parsed = urllib.parse.urlparse(line)
        self.root = f"{parsed.scheme}://{parsed.netloc}"
        self.token = urllib.parse.parse_qs(parsed.query)["token"][0]
        self.bodies = []  # every body received, for the NIK scan

    def request(self, method, path, body=None, token=True, headers=None, raw=None):
        """(status, headers, bytes) of one request; the body is kept for the NIK scan."""
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = "Bearer " + (self.token if token is True else token)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        if data is not None:
            headers.setdefault("Content-Type", "application/json")
        req = urllib.request.Request(self.root + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=120) as response:
                status, received, content = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, received, content = error.code, dict(error.headers), error.read()
        self.bodies.append(content)
        return status, received, content

    def json(self, method, path, body=None, **kw):
        status, _, content = self.request(method, path, body, **kw)
        return status, json.loads(content) if content else None

    def wait(self, job_id, seconds=300):
        deadline = time.time() + seconds
        while time.time() < deadline:
            status, job = self.json("GET", "/api/runs/" + job_id)
            if job["state"] not in ("queued", "running"):
                return job
            time.sleep(0.2)
        raise AssertionError(f"run {job_id} did not end in {seconds} s")

    def stop(self):
        """SIGTERM, as a service manager stops it; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise AssertionError("tepat serve did not stop within 60 s of SIGTERM")
        return self.process.returncode

    def close(self):
        self.stop()
        self.process.stdout.close()
        self.process.stderr.close()
        shutil.rmtree(self.base, ignore_errors=True)


def demo_niks():
    """Every head_nik of the demo's households.csv."""
    import csv
    with open(os.path.join(REPOSITORY, "Data", "demo", "households.csv"), newline="") as f:
        return {row["head_nik"] for row in csv.DictReader(f) if row.get("head_nik")}
