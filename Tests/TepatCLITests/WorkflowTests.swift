import Foundation
import TepatData
import TepatStore
import XCTest

/// The planner's workflow through the real binary: scenario files, the run
/// store, comparison of two runs, and the report.
final class WorkflowTests: XCTestCase {
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data/demo").path

    var folder = ""
    var store = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tepat-workflow-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        store = folder + "/runs.sqlite"
        addTeardownBlock { [folder] in try? FileManager.default.removeItem(atPath: folder) }
    }

    func tepat(_ arguments: [String]) throws -> CLIResult {
        try runTepat(arguments + (["run", "runs"].contains(arguments.first ?? "") ? ["--store", store] : []))
    }

    func write(_ name: String, _ text: String) -> String {
        let path = folder + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        return path
    }

    func csv(_ path: String) throws -> (header: [String], rows: [[String]]) { try CSVReader.records(path: path) }

    func storedRuns() throws -> Int { try RunStore(path: store).count() }

    /// "What if Lazismu only funds Kecamatan Lekok, and APBD sits out?"
    func testScenarioFileDrivesTheRunAndFlagsOverrideIt() throws {
        let villages = try csv(Self.demo + "/villages.csv")
        let lekok = villages.rows.first { $0[2] == "Lekok" }!
        let lekokCode = String(lekok[0].prefix(8))  // 35.14.xx
        let scenario = write("lekok.yaml", """
            seed: 7
            scoring:
              bootstrap: 20
            allocation:
              funders: [LAZISMU, BAZNAS]
              funder_areas:
                LAZISMU: ["\(lekokCode)"]
            outputs:
              lang: en
              households_scored: false
            """)
        let out = folder + "/lekok"
        let run = try tepat(["run", Self.demo, "--scenario", scenario, "--out", out, "--seed", "9", "--quiet"])
        XCTAssertEqual(run.status, 0, run.err)

        let summary = try String(contentsOfFile: out + "/summary.json", encoding: .utf8)
        XCTAssertTrue(summary.contains("\"seed\": 9,"), "the flag overrides the file")
        let kept = try String(contentsOfFile: out + "/scenario.yaml", encoding: .utf8)
        XCTAssertTrue(kept.contains("seed: 9\n") && kept.contains("bootstrap: 20\n") && kept.contains("funders: [\"LAZISMU\", \"BAZNAS\"]"), kept)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/households_scored.csv"))
        XCTAssertTrue(try String(contentsOfFile: out + "/report.html", encoding: .utf8).contains("<html lang=\"en\">"))

        let funders = try csv(out + "/funders_summary.csv")
        XCTAssertEqual(funders.rows.map { $0[0] }, ["BAZNAS", "LAZISMU"])
        let allocation = try csv(out + "/allocation.csv")
        let lazismu = allocation.rows.filter { $0[0] == "LAZISMU" }
        XCTAssertFalse(lazismu.isEmpty)
        for row in lazismu { XCTAssertTrue(row[1].hasPrefix(lekokCode + "."), "LAZISMU funds \(row[1]) outside \(lekokCode)") }
    }

    func testScenarioMistakesAreNamedAndNothingIsWritten() throws {
        let out = folder + "/never"
        let typo = write("typo.yaml", "scoring:\n  povrty_line: 600000\n")
        var result = try tepat(["run", Self.demo, "--scenario", typo, "--out", out])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.err, "Error: typo.yaml:2:3: scoring.povrty_line: unknown key; did you mean 'poverty_line'?\n")

        let unknownFunder = write("funder.yaml", "allocation:\n  funders: [LAZISMO]\n")
        result = try tepat(["run", Self.demo, "--scenario", unknownFunder, "--out", out, "--bootstrap", "0"])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.err, "allocation.funders: no 'LAZISMO' in funders.csv; did you mean 'LAZISMU'?\nNothing was written.\n")

        result = try tepat(["run", Self.demo, "--scenario", folder + "/absent.yaml", "--out", out])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.err, "Error: \(folder)/absent.yaml: scenario file not found\n")

        // Floors the budgets cannot pay: the conflict is named, nothing is kept.
        let floors = write("floors.yaml", "allocation:\n  floors:\n    sangat_tertinggal: 900000000\n")
        result = try tepat(["run", Self.demo, "--scenario", floors, "--out", out, "--bootstrap", "0"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.hasPrefix("the allocation scenario is infeasible:\n"), result.err)
        XCTAssertTrue(result.err.contains("sangat_tertinggal ≥ Rp 900,000,000"), result.err)
        XCTAssertTrue(result.err.hasSuffix("Nothing was written.\n"), result.err)

        // A floor above the village cap: named the same way (it used to crash the run).
        result = try tepat(["run", Self.demo, "--out", out, "--bootstrap", "0",
                            "--floor", "sangat_tertinggal=50000000", "--village-cap", "30000000"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("the village cap is Rp 30,000,000; missing Rp 20,000,000"), result.err)
        XCTAssertTrue(result.err.hasSuffix("Nothing was written.\n"), result.err)

        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try storedRuns(), 0)
    }

    func testScenarioInitWritesATemplateThatChecksToTheDefaults() throws {
        let path = folder + "/scenario.yaml"
        XCTAssertEqual(try tepat(["scenario", "init", path]).status, 0)
        let again = try tepat(["scenario", "init", path])
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.err, "Error: \(path) exists; use --force to replace it\n")
        let template = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(template.contains("poverty_line: 550000"), template)
        let checked = try tepat(["scenario", "check", path])
        XCTAssertEqual(checked.status, 0, checked.err)
        // The check prints the template without its comments.
        let uncommented = template.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") && !$0.isEmpty }
            .map { line -> String in
                guard let hash = line.range(of: "  # ") else { return String(line) }
                return String(line[..<hash.lowerBound]).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
            }
        XCTAssertEqual(checked.out.split(separator: "\n").map(String.init), uncommented)
    }

    /// Two runs, recorded in the store and compared: the comparison's numbers
    /// are the differences of the two runs' own files.
    func testRunsAreRecordedAndCompared() throws {
        let a = folder + "/base", b = folder + "/floor"
        XCTAssertEqual(try tepat(["run", Self.demo, "--out", a, "--bootstrap", "20", "--quiet"]).status, 0)
        XCTAssertEqual(try tepat(["run", Self.demo, "--out", b, "--bootstrap", "20", "--quiet", "--floor", "sangat_tertinggal=30000000"]).status, 0)

        let list = try tepat(["runs", "list"])
        XCTAssertEqual(list.status, 0, list.err)
        let lines = list.out.split(separator: "\n")
        XCTAssertEqual(lines.count, 4, list.out)  // header, rule, two runs
        XCTAssertTrue(lines[2].hasPrefix("2 ") && lines[2].contains(b), list.out)
        XCTAssertTrue(lines[3].hasPrefix("1 ") && lines[3].contains(a), list.out)

        let show = try tepat(["runs", "show", "1"])
        XCTAssertEqual(show.status, 0, show.err)
        // The checksum recorded is the file's own (an independent sha256sum).
        let checksum = Process(), pipe = Pipe()
        checksum.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        checksum.arguments = [Self.demo + "/households.csv"]
        checksum.standardOutput = pipe
        try checksum.run()
        let sha = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        checksum.waitUntilExit()
        XCTAssertEqual(sha.count, 64)
        XCTAssertTrue(show.out.contains("households.csv  6000  \(sha)"), show.out)
        XCTAssertTrue(show.out.contains("  bootstrap: 20"), show.out)
        let missing = try tepat(["runs", "show", "99"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("no run 99 in \(store)"), missing.err)

        let out = folder + "/comparison"
        let compare = try runTepat(["compare", a, b, "--out", out, "--top", "3"])
        XCTAssertEqual(compare.status, 0, compare.err)
        XCTAssertTrue(compare.out.contains("allocation.floors.sangat_tertinggal: (absent) → 30000000"), compare.out)
        XCTAssertTrue(compare.out.contains("Villages whose funds changed most:"), compare.out)

        let before = try csv(a + "/villages_after.csv"), after = try csv(b + "/villages_after.csv")
        let fundsA = Dictionary(uniqueKeysWithValues: before.rows.map { ($0[0], Int64($0[1])!) })
        let fundsB = Dictionary(uniqueKeysWithValues: after.rows.map { ($0[0], Int64($0[1])!) })
        let villages = try csv(out + "/compare_villages.csv")
        XCTAssertEqual(villages.rows.count, 365)
        for row in villages.rows {
            XCTAssertEqual(Int64(row[6]), fundsA[row[0]])
            XCTAssertEqual(Int64(row[7]), fundsB[row[0]])
            XCTAssertEqual(Int64(row[8]), fundsB[row[0]]! - fundsA[row[0]]!)
        }
        // Largest change first.
        let changes = villages.rows.map { abs(Int64($0[8])!) }
        XCTAssertEqual(changes, changes.sorted(by: >))
        // Every sangat_tertinggal village of B holds its floor.
        let statuses = Dictionary(uniqueKeysWithValues: try csv(Self.demo + "/villages.csv").rows.map { ($0[0], $0[8]) })
        for (code, funds) in fundsB where statuses[code] == "sangat_tertinggal" { XCTAssertGreaterThanOrEqual(funds, 30_000_000, code) }
        let summary = try csv(out + "/compare_summary.csv")
        XCTAssertEqual(summary.header, ["figure", "run_a", "run_b"])
        XCTAssertTrue(summary.rows.contains { $0[0] == "allocation objective (persons × P2)" })
    }

    /// A run killed while it writes leaves no run directory and no store row;
    /// the next run clears the killed run's hidden staging folder.
    func testKilledRunLeavesNothingBehind() throws {
        let data = folder + "/big"
        XCTAssertEqual(try runTepat(["generate", "--out", data, "--households", "60000", "--villages", "60", "--seed", "3", "--quiet"]).status, 0)
        let out = folder + "/killed"
        let process = Process()
        process.executableURL = tepatBinary
        process.arguments = ["run", data, "--out", out, "--store", store, "--bootstrap", "400", "--quiet"]
        process.environment = tepatEnvironment
        try process.run()
        // Wait for the writing stage (the hidden staging folder), then kill.
        let deadline = Date().addingTimeInterval(120)
        var staged = false
        while Date() < deadline && process.isRunning {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            if entries.contains(where: { $0.hasPrefix(".killed.partial-") }) { staged = true; break }
            usleep(2_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertTrue(staged, "the run finished before it could be killed while writing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try storedRuns(), 0)

        XCTAssertEqual(try tepat(["run", data, "--out", out, "--bootstrap", "0", "--quiet", "--scoring-only"]).status, 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".partial-") }
        XCTAssertEqual(left, [])
        XCTAssertEqual(try storedRuns(), 1)
    }

    /// report.html stands alone: no script, no network, every section, one map
    /// point per village with coordinates.
    func testReportIsSelfContained() throws {
        let out = folder + "/report"
        XCTAssertEqual(try tepat(["run", Self.demo, "--out", out, "--bootstrap", "20", "--quiet"]).status, 0)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://"))
        XCTAssertTrue(html.contains("<html lang=\"id\">"))
        for id in ["headline", "ranking", "map", "quadrant", "rpkd", "before-after", "spending", "baselines", "assignment", "verification", "model"] {
            XCTAssertTrue(html.contains("<section id=\"\(id)\">"), id)
        }
        // The map's points (r 4.5), not the interval bars' or the quadrant chart's dots.
        let points = html.components(separatedBy: "<circle cx=").dropFirst().filter { $0.contains("r=\"4.5\"") }.count
        XCTAssertEqual(points, 365)
        XCTAssertTrue(html.contains("Peringkat desa"))
        // OPD reasons in Indonesian too; assignment.csv keeps its English column.
        XCTAssertTrue(html.contains("rumah tangga miskin terdeprivasi (peringkat "))
        XCTAssertFalse(html.contains("poor households deprived"))
        XCTAssertTrue(try String(contentsOfFile: out + "/assignment.csv", encoding: .utf8).contains("poor households deprived (rank "))
        // No personal data: the demo's NIKs never appear.
        let nik = try csv(Self.demo + "/households.csv").rows.prefix(50).map { $0[2] }
        for n in nik { XCTAssertFalse(html.contains(n)) }
    }
}

extension WorkflowTests {
    /// For each objective: summary.json's `objective` is the outcome, computed
    /// here without the optimiser twice: from beneficiaries.csv and the
    /// predictive distribution in households_scored.csv (the closed forms of
    /// the lognormal's partial moments, written out below), to 1e-9 relative;
    /// and from villages_after.csv's before and after, village by village.
    /// The bound is above it and the gap is as reported.
    func testObjectiveIsTheOutcomeOfThePublishedPlan() throws {
        var objectives: [String: Double] = [:]
        let households = try csv(Self.demo + "/households.csv")
        let membersColumn = households.header.firstIndex(of: "members")!
        let members = Dictionary(uniqueKeysWithValues: households.rows.map { ($0[0], Double($0[membersColumn])!) })
        for measure in ["p2", "p1", "p0"] {
            let scenario = write("objective-\(measure).yaml", "scoring:\n  bootstrap: 0\nallocation:\n  objective: \(measure)\n")
            let out = folder + "/objective-\(measure)"
            let run = try tepat(["run", Self.demo, "--scenario", scenario, "--out", out, "--quiet"])
            XCTAssertEqual(run.status, 0, run.err)
            let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
            let allocation = summary["allocation"] as! [String: Any]
            XCTAssertEqual(allocation["objective_measure"] as? String, measure)
            XCTAssertNil(allocation["outcome_fall"], "one number: the objective is the outcome")
            let objective = (allocation["objective"] as! NSNumber).doubleValue
            let bound = (allocation["bound"] as! NSNumber).doubleValue, gap = (allocation["gap"] as! NSNumber).doubleValue
            XCTAssertGreaterThanOrEqual(bound, objective)
            XCTAssertEqual(gap, (bound - objective) / bound, accuracy: 1e-9)
            XCTAssertLessThanOrEqual(gap, 0.001, "the demo's plan is within 0.1% of the bound")

            let scored = try csv(out + "/households_scored.csv")
            let mean = scored.header.firstIndex(of: "log_welfare_mean")!, sd = scored.header.firstIndex(of: "log_welfare_sd")!
            let distribution = Dictionary(uniqueKeysWithValues: scored.rows.map { ($0[0], (Double($0[mean])!, Double($0[sd])!)) })
            let programs = try csv(Self.demo + "/programs.csv")
            let uplift = Dictionary(uniqueKeysWithValues: programs.rows.map { ($0[0], Double($0[programs.header.firstIndex(of: "uplift_pc")!])!) })
            let beneficiaries = try csv(out + "/beneficiaries.csv")
            XCTAssertEqual(beneficiaries.header, AllocationOutputsHeader.beneficiaries)
            var upliftOf: [String: Double] = [:]
            for row in beneficiaries.rows { upliftOf[row[0], default: 0] += uplift[row[3]]! }
            let alpha = Int(measure.dropFirst())!
            let recomputed = upliftOf.keys.sorted().reduce(0.0) { sum, id in
                let (mu, sigma) = distribution[id]!
                return sum + members[id]! * (Self.fgt(alpha, mu, sigma, uplift: 0) - Self.fgt(alpha, mu, sigma, uplift: upliftOf[id]!))
            }
            XCTAssertEqual(recomputed, objective, accuracy: 1e-9 * objective, measure)

            let persons = Dictionary(uniqueKeysWithValues: try csv(out + "/rankings.csv").rows.map { ($0[1], Double($0[5])!) })
            let after = try csv(out + "/villages_after.csv")
            let column = after.header.firstIndex(of: measure + "_before")!
            let fall = after.rows.reduce(0.0) { $0 + persons[$1[0]]! * (Double($1[column])! - Double($1[column + 1])!) }
            // villages_after.csv has 9 decimals: 365 villages × ~100 persons × 5e-10.
            XCTAssertEqual(fall, objective, accuracy: 1e-4, measure)
            objectives[measure] = objective
        }
        XCTAssertGreaterThan(objectives["p0"]!, objectives["p1"]!)
        XCTAssertGreaterThan(objectives["p1"]!, objectives["p2"]!)
    }
}

extension WorkflowTests {
    /// E[((1 − (Y+U)/z)₊)^α] for ln Y ~ N(μ, σ²) at the demo's poverty line,
    /// from the lognormal's partial moments E[Yᵏ; Y < z'] = e^{kμ+k²σ²/2}·Φ(d − kσ),
    /// d = (ln z' − μ)/σ, z' = z − U.
    static func fgt(_ alpha: Int, _ mu: Double, _ sigma: Double, uplift: Double) -> Double {
        let z = 550_000.0, shifted = z - uplift
        guard shifted > 0 else { return 0 }
        let d = (log(shifted) - mu) / sigma
        func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
        func partial(_ k: Double) -> Double { exp(k * mu + k * k * sigma * sigma / 2) * cdf(d - k * sigma) }
        // (1 − (y+U)/z)^α = ((z' − y)/z)^α expanded in powers of y, over y < z'.
        switch alpha {
        case 0: return cdf(d)
        case 1: return (shifted * cdf(d) - partial(1)) / z
        default: return (shifted * shifted * cdf(d) - 2 * shifted * partial(1) + partial(2)) / (z * z)
        }
    }
}

/// beneficiaries.csv's columns as OUTPUTS.md names them.
enum AllocationOutputsHeader {
    static let beneficiaries = [
        "household_id", "kode_desa", "nama_desa", "program_id", "pillar", "funder_id", "amount_rp", "priority", "p_poor", "welfare_pc", "household_gain",
    ]
}
