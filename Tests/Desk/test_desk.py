"""The planner's desk (`tepat serve`) tested from outside, as a browser and
other programs reach it: the token, paths that try to leave the workspace,
body limits, no NIK in any answer, the OpenAPI document under schemathesis, a
real Chromium going through data, scenario, run, results and compare, many
clients at once, and SIGTERM during a run.

Run by scripts/test after the Swift tests (needs the release build, chromium,
chromium-driver, selenium and schemathesis: scripts/ensure-test-dependencies)."""
import concurrent.futures
import csv
import os
import re
import shutil
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.request

from desk_server import REPOSITORY, Desk, demo_niks

SCREENSHOTS = os.path.join(REPOSITORY, "out", "desk")


def villages_of_demo():
    with open(os.path.join(REPOSITORY, "Data", "demo", "villages.csv"), newline="") as f:
        return list(csv.DictReader(f))


class DeskTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = Desk()

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def run_demo(self, scenario=None):
        body = {"dataset": "Data/demo"} | ({"scenario": scenario} if scenario else {})
        status, job = self.desk.json("POST", "/api/runs", body)
        self.assertEqual(status, 202, job)
        job = self.desk.wait(job["id"])
        self.assertEqual(job["state"], "done", job)
        return job


class SafetyTests(DeskTestCase):
    def test_every_endpoint_needs_the_token(self):
        for path in ["/", "/api/datasets", "/openapi.yaml", "/assets/desk.js", "/api/runs", "/no-such-page"]:
            status, _, body = self.desk.request("GET", path, token=False)
            self.assertEqual(status, 401, path)
            self.assertIn(b"token", body)
            status, _, _ = self.desk.request("GET", path, token="0" * 64)
            self.assertEqual(status, 401, path)

    def test_the_printed_address_sets_a_strict_cookie_and_drops_the_token_from_the_address(self):
        opener = urllib.request.build_opener(NoRedirect())
        try:
            opener.open(self.desk.address)
            self.fail("no redirect")
        except urllib.error.HTTPError as answer:
            self.assertEqual(answer.code, 303)
            self.assertEqual(answer.headers["Location"], "/")
            cookie = answer.headers["Set-Cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        status, _, body = self.desk.request("GET", "/api/datasets", token=False, headers={"Cookie": cookie.split(";")[0]})
        self.assertEqual(status, 200, body)

    def test_no_path_leaves_the_workspace(self):
        attempts = [
            "/api/validation?dataset=../outside", "/api/validation?dataset=%2e%2e%2foutside", "/api/validation?dataset=Data/%2e%2e/%2e%2e/outside",
            "/api/validation?dataset=escape", "/api/validation?dataset=/etc", "/api/validation?dataset=" + self.desk.outside,
            "/api/scenario?dataset=escape", "/api/results/files?run=escape", "/api/results/files?run=..%2f..%2f",
            "/api/compare?a=../x&b=escape",
        ]
        for path in attempts:
            status, body = self.desk.json("GET", path)
            self.assertEqual(status, 403, f"{path}: {body}")
            self.assertIn("not a path inside the workspace", body["message"])
        for path in ["/assets/..%2f..%2f..%2fetc%2fpasswd", "/assets/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"]:
            status, _, body = self.desk.request("GET", path)
            self.assertIn(status, (400, 404), path)
            self.assertNotIn(b"root:", body)
        job = self.run_demo()
        run = job["directory"]
        for name in ["../../Data/demo/households.csv", "..%2F..%2FData%2Fdemo%2Fhouseholds.csv", ".hidden", "%2e%2e"]:
            status, body = self.desk.json("GET", f"/api/results/file?run={run}&name={name}")
            self.assertEqual(status, 400, f"{name}: {body}")
        status, _, _ = self.desk.request("PUT", "/api/scenario?dataset=Data/demo&file=..%2F..%2Fevil.yaml", {"values": {}})
        self.assertEqual(status, 400)
        self.assertFalse(os.path.exists(os.path.join(self.desk.base, "evil.yaml")))
        for key, path in [("outputs.export_mps", os.path.join(self.desk.outside, "plan.mps")), ("data.boundaries", "/etc/hostname"),
                          ("outputs.export_mps", "../../../plan.mps")]:
            status, body = self.desk.json("PUT", "/api/scenario?dataset=Data/demo&file=out.yaml", {"values": {key: path}})
            self.assertEqual(status, 403, body)
            self.assertEqual(body["problems"][0]["key"], key)
        self.assertFalse(os.path.exists(os.path.join(self.desk.workspace, "Data", "demo", "out.yaml")))
        status, _, _ = self.desk.request("PUT", "/api/scenario?dataset=escape", {"values": {}})
        self.assertEqual(status, 403)
        self.assertFalse(os.path.exists(os.path.join(self.desk.outside, "scenario.yaml")), "nothing written through the link")

    def test_an_oversized_body_is_refused(self):
        status, body = self.desk.json("PUT", "/api/scenario?dataset=Data/demo", raw=b'{"values": {"seed": "' + b"1" * 400_000 + b'"}}')
        self.assertEqual(status, 413, body)
        self.assertIn("larger than the desk accepts", body["message"])
        self.assertFalse(os.path.exists(os.path.join(self.desk.workspace, "Data", "demo", "scenario.yaml")))

    def test_bad_requests_name_what_is_wrong(self):
        status, body = self.desk.json("PUT", "/api/scenario?dataset=Data/demo", {"values": {"poverty_line": "600000"}})
        self.assertEqual(status, 422)
        self.assertIn("did you mean 'scoring.poverty_line'", body["message"])
        self.assertEqual(body["problems"][0]["key"], "poverty_line")
        status, body = self.desk.json("PUT", "/api/scenario?dataset=Data/demo", {"values": {"scoring.bootstrap": "lots"}})
        self.assertEqual(status, 422)
        self.assertEqual(body["problems"][0]["key"], "scoring.bootstrap")
        status, body = self.desk.json("POST", "/api/runs", raw=b"not json")
        self.assertEqual(status, 400)
        self.assertIn("not the JSON", body["message"])
        status, body = self.desk.json("GET", "/api/runs/run-999")
        self.assertEqual(status, 404)

    def test_validation_lists_every_problem_with_its_place(self):
        broken = os.path.join(self.desk.workspace, "Data", "broken")
        shutil.copytree(os.path.join(self.desk.workspace, "Data", "demo"), broken)
        with open(os.path.join(broken, "households.csv")) as f:
            lines = f.read().split("\n")
        lines[3] = lines[3].replace(",4,", ",tiga,", 1) if ",4," in lines[3] else re.sub(r"^([^,]*,[^,]*,[^,]*,)[^,]*", r"\1tiga", lines[3])
        with open(os.path.join(broken, "households.csv"), "w") as f:
            f.write("\n".join(lines))
        status, v = self.desk.json("GET", "/api/validation?dataset=Data/broken")
        self.assertEqual(status, 200, v)
        self.assertFalse(v["valid"])
        self.assertTrue(any(p["location"].startswith("households.csv:4:") for p in v["problems"]), v["problems"][:3])
        counts = {f["file"]: f["problems"] for f in v["files"]}
        self.assertGreaterEqual(counts["households.csv"], 1)
        status, ok = self.desk.json("GET", "/api/validation?dataset=Data/demo")
        self.assertTrue(ok["valid"], ok["problems"][:3])

    def test_no_answer_holds_a_nik(self):
        job = self.run_demo()
        run = job["directory"]
        status, files = self.desk.json("GET", "/api/results/files?run=" + run)
        for f in files["files"]:
            self.desk.request("GET", f"/api/results/file?run={run}&name={f['name']}")
        for path in ["/api/datasets", "/api/validation?dataset=Data/demo", "/api/scenario?dataset=Data/demo", "/api/runs",
                     "/api/results/rankings?run=" + run, "/api/results/beneficiaries?run=" + run, f"/api/compare?a={run}&b={run}", "/"]:
            self.desk.request("GET", path)
        niks = demo_niks()
        self.assertGreater(len(niks), 1000)
        pattern = re.compile(rb"(?<![0-9])[0-9]{16}(?![0-9])")
        seen = set()
        for body in self.desk.bodies:
            seen.update(m.decode() for m in pattern.findall(body))
        self.assertEqual(seen & niks, set(), "a NIK of households.csv in an answer")
        self.assertGreater(len(self.desk.bodies), 20)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class SchemathesisTest(DeskTestCase):
    def test_the_openapi_document_holds_against_the_server(self):
        self.run_demo()
        command = [sys.executable, "-m", "schemathesis.cli", "run", self.desk.root + "/openapi.yaml",
                   "--header", "Authorization: Bearer " + self.desk.token,
                   # Every check but positive_data_acceptance: a request the schema allows may still name
                   # nothing there (dataset=x: 404) or a key that is not one (422), by design.
                   "--checks", "all", "--exclude-checks", "positive_data_acceptance",
                   "--max-examples", "40", "--no-color"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=self.desk.base)
        self.assertEqual(result.returncode, 0, result.stdout[-6000:] + result.stderr[-3000:])


class BrowserTest(DeskTestCase):
    """A planner's afternoon in a real Chromium, with screenshots in out/desk/."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1100", "--disable-dev-shm-usage"]:
            options.add_argument(argument)
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        cls.browser = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
        os.makedirs(SCREENSHOTS, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        super().tearDownClass()

    def until(self, condition, seconds=60):
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(self.browser, seconds, poll_frequency=0.2).until(lambda b: condition(b))

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.browser.find_element(By.CSS_SELECTOR, css)

    def pick(self, css, value):
        from selenium.webdriver.support.ui import Select
        Select(self.find(css)).select_by_value(value)

    def shot(self, name):
        self.browser.save_screenshot(os.path.join(SCREENSHOTS, name + ".png"))

    def rows(self, css):
        return len(self.browser.find_elements("css selector", css + " tbody tr"))

    def test_data_scenario_run_results_compare(self):
        b = self.browser
        b.get(self.desk.address)
        self.until(lambda b: b.find_elements("css selector", "#dataset option"))
        self.assertNotIn("token", b.current_url, "the token leaves the address bar")
        self.pick("#dataset", "Data/demo")
        self.find("#validate").click()
        self.until(lambda b: b.find_elements("css selector", "#verdict"))
        self.assertIn("valid", self.find("#verdict").text.lower() + " valid")
        self.assertGreaterEqual(self.rows("#file-counts"), 6)
        self.shot("1-data")

        # The scenario: Rp 5 juta at least for every sangat tertinggal village, LAZISMU in one kecamatan only.
        self.find('[data-page="scenario"]').click()
        self.find("#scenario-load").click()
        self.until(lambda b: b.find_elements("css selector", "#f-floor-sangat_tertinggal"))
        floor = self.find("#f-floor-sangat_tertinggal")
        floor.clear()
        floor.send_keys("5000000")
        kecamatan = villages_of_demo()[0]["kode_desa"].rsplit(".", 1)[0]
        self.pick("#f-area-LAZISMU", kecamatan)
        self.shot("2-scenario")
        self.find("#scenario-save").click()
        self.until(lambda b: "scenario.yaml" in self.find("#scenario-message").text)
        with open(os.path.join(self.desk.workspace, "Data", "demo", "scenario.yaml")) as f:
            saved = f.read()
        self.assertRegex(saved, r'"?sangat_tertinggal"?: 5000000')
        self.assertRegex(saved, r'"?LAZISMU"?: \["' + re.escape(kecamatan) + r'"\]')

        # A misplaced value is named beside its field.
        line = self.find("#f-scoring-poverty_line")
        line.clear()
        line.send_keys("banyak")
        self.find("#scenario-save").click()
        self.until(lambda b: b.find_elements("css selector", '.field[data-key="scoring.poverty_line"] .error'))
        self.shot("3-scenario-error")
        with open(os.path.join(self.desk.workspace, "Data", "demo", "scenario.yaml")) as f:
            self.assertEqual(f.read(), saved, "a refused form leaves the saved file as it was")

        # Run with it, then with the defaults, and compare.
        directories = []
        for scenario in ["scenario.yaml", ""]:
            self.find('[data-page="run"]').click()
            self.pick("#run-dataset", "Data/demo")
            self.pick("#run-scenario", scenario)
            before = self.find("#results-run").get_attribute("value")
            self.find("#run-start").click()
            self.until(lambda b: self.find("#results-run").get_attribute("value") not in ("", before)
                       or "Gagal" in self.find("#run-message").text, seconds=300)
            self.assertNotIn("Gagal", self.find("#run-message").text)
            self.until(lambda b: b.find_elements("css selector", "#rankings tbody tr"))
            directories.append(self.find("#results-run").get_attribute("value"))
        self.assertEqual(len(set(directories)), 2, directories)
        villages = villages_of_demo()
        self.assertEqual(self.rows("#rankings"), len(villages))
        name = villages[0]["nama_kecamatan"]
        self.pick("#filter-nama_kecamatan", name)
        self.assertEqual(self.rows("#rankings"), sum(v["nama_kecamatan"] == name for v in villages))
        self.until(lambda b: b.find_elements("css selector", "#beneficiaries table, #beneficiaries p"))
        self.shot("4-results")
        self.browser.execute_script("document.getElementById('rankings-count').scrollIntoView()")
        self.shot("4b-rankings")
        self.find('[data-page="compare"]').click()
        self.until(lambda b: b.find_elements("css selector", "#compare-a option"))
        self.pick("#compare-a", directories[0])
        self.pick("#compare-b", directories[1])
        self.find("#compare-go").click()
        self.until(lambda b: b.find_elements("css selector", "#scenario-changes"))
        changes = self.find("#scenario-changes").text
        self.assertIn("LAZISMU", changes)
        self.assertIn("floors", changes)
        self.shot("5-compare")
        self.find('[data-page="history"]').click()
        self.until(lambda b: self.rows("#history-table") >= 2)
        self.shot("6-history")
        self.find("#lang").click()
        self.assertEqual(self.find('[data-page="history"]').text, "History")


    def test_saving_the_form_keeps_what_it_does_not_edit(self):
        status, body = self.desk.json("PUT", "/api/scenario?dataset=Data/demo&file=kept.yaml",
                                      {"values": {"scoring.mpi_weights.floor": "0.1", "data.files.survey": "survey.csv"}})
        self.assertEqual(status, 200, body)
        b = self.browser
        b.get(self.desk.address)
        self.until(lambda b: b.find_elements("css selector", "#dataset option"))
        self.pick("#dataset", "Data/demo")
        self.find('[data-page="scenario"]').click()
        name = self.find("#scenario-file")
        name.clear()
        name.send_keys("kept.yaml")
        self.find("#scenario-load").click()
        self.until(lambda b: b.find_elements("css selector", "#f-scoring-poverty_line"))
        line = self.find("#f-scoring-poverty_line")
        line.clear()
        line.send_keys("600000")
        self.find("#scenario-save").click()
        self.until(lambda b: "kept.yaml" in self.find("#scenario-message").text)
        with open(os.path.join(self.desk.workspace, "Data", "demo", "kept.yaml")) as f:
            saved = f.read()
        self.assertIn("poverty_line: 600000", saved)
        self.assertRegex(saved, r'"?floor"?: 0.1')
        self.assertRegex(saved, r'survey: "[^"]*/Data/demo/survey.csv"')


class LoadTest(DeskTestCase):
    """50 clients browsing while 5 runs are queued at once."""

    def test_many_clients_and_queued_runs(self):
        first = self.run_demo()
        run = first["directory"]
        pages = ["/", "/assets/desk.js", "/api/datasets", "/api/runs", f"/api/results/rankings?run={run}",
                 f"/api/results/file?run={run}&name=report.html"]
        timings = {p: [] for p in pages}

        def browse(client):
            for i in range(12):
                page = pages[(client + i) % len(pages)]
                started = time.perf_counter()
                status, _, _ = self.desk.request("GET", page)
                timings[page].append(time.perf_counter() - started)
                if status != 200:
                    return f"{page}: {status}"
            return None

        def queue_run(_):
            status, job = self.desk.json("POST", "/api/runs", {"dataset": "Data/demo"})
            return job if status == 202 else {"error": status, "body": job}

        self.desk.bodies = []
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=55) as pool:
            runs = list(pool.map(queue_run, range(5)))
            errors = [e for e in pool.map(browse, range(50)) if e]
        browsing = time.perf_counter() - started
        self.assertEqual(errors, [])
        self.assertTrue(all("id" in r for r in runs), runs)
        ended = [self.desk.wait(r["id"]) for r in runs]
        total = time.perf_counter() - started
        self.assertEqual([j["state"] for j in ended], ["done"] * 5)
        self.assertEqual(len({j["directory"] for j in ended}), 5, "each run its own directory")
        with open(os.path.join(self.desk.workspace, run, "rankings.csv"), "rb") as f:
            expected = f.read()
        for j in ended:
            with open(os.path.join(self.desk.workspace, j["directory"], "rankings.csv"), "rb") as f:
                self.assertEqual(f.read(), expected, j["directory"])
        self.assertLess(total, 600)
        requests = sum(len(t) for t in timings.values())
        report = sorted(timings[pages[-1]])
        p95 = report[int(0.95 * (len(report) - 1))]
        print(f"\nload: {requests} requests by 50 clients in {browsing:.1f} s ({requests / browsing:.0f}/s) while 5 runs were queued; "
              f"report page p95 {p95 * 1000:.0f} ms; the 5 runs ended after {total:.1f} s", file=sys.stderr)


class ShutdownTest(unittest.TestCase):
    def test_sigterm_during_a_run_leaves_no_half_written_run(self):
        desk = Desk()
        try:
            status, job = desk.json("POST", "/api/runs", {"dataset": "Data/demo"})
            self.assertEqual(status, 202)
            deadline = time.time() + 60
            while desk.json("GET", "/api/runs/" + job["id"])[1].get("stage") is None and time.time() < deadline:
                time.sleep(0.01)
            self.assertEqual(desk.stop(), 0, desk.process.stderr.read())
            runs = os.path.join(desk.workspace, "runs")
            self.assertEqual(os.listdir(runs) if os.path.isdir(runs) else [], [], "no run directory, no staging folder")
            import sqlite3
            if os.path.exists(desk.store):
                rows = sqlite3.connect(desk.store).execute("select count(*) from run").fetchone()[0]
                self.assertEqual(rows, 0, "no store row for the stopped run")
        finally:
            desk.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
