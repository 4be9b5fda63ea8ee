import Foundation
import TepatReporting
import XCTest

/// The outcome of running `tepat`.
struct CLIResult { let status: Int32; let out: String; let err: String }

/// The test bundle sits in the build products folder beside `tepat`.
let tepatBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tepat")

/// The environment of every `tepat` a test starts: the run store is a file of
/// this test process, never the user's own history.
let testStore = NSTemporaryDirectory() + "tepat-test-store-\(getpid()).sqlite"
var tepatEnvironment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["TEPAT_STORE"] = testStore
    return environment
}

/// Runs the built `tepat` with `arguments`, capturing its output.
func runTepat(_ arguments: [String]) throws -> CLIResult {
    let process = Process()
    process.executableURL = tepatBinary
    process.arguments = arguments
    process.environment = tepatEnvironment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CLIResult(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
}

/// Runs the real `tepat` binary, as a planner or a script would.
final class CLITests: XCTestCase {
    func tepat(_ arguments: [String]) throws -> CLIResult { try runTepat(arguments) }

    func scratch() -> String {
        let dir = NSTemporaryDirectory() + "tepat-cli-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: tepatBinary.path) else {
            XCTFail("tepat binary not found at \(tepatBinary.path)")
            return
        }
    }

    func testHelpExplainsEveryCommand() throws {
        let root = try tepat(["--help"])
        XCTAssertEqual(root.status, 0)
        XCTAssertTrue(root.out.contains("generate"), root.out)
        XCTAssertTrue(root.out.contains("validate"), root.out)
        XCTAssertTrue(root.out.contains("Exit status"), root.out)
        for command in ["generate", "validate"] {
            let help = try tepat([command, "--help"])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.out.contains("USAGE: tepat \(command)"), help.out)
        }
    }

    func testGenerateThenValidate() throws {
        let dir = scratch()
        let generated = try tepat(["generate", "--out", dir, "--households", "3000", "--villages", "25", "--seed", "5", "--quiet"])
        XCTAssertEqual(generated.status, 0, generated.err)
        let validated = try tepat(["validate", dir])
        XCTAssertEqual(validated.status, 0, validated.err)
        XCTAssertTrue(validated.out.contains("households.csv: 3000 rows accepted"), validated.out)
        XCTAssertTrue(validated.out.hasSuffix("is valid.\n"), validated.out)
    }

    /// `--stream` on the demo: the files a planner expects, the notes on what it
    /// leaves out, no temporary files beside the run; the asset index is refused
    /// with exit status 1.
    func testStreamOnTheDemo() throws {
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Data/demo").standardized.path
        let parent = scratch()
        let out = parent + "/run"
        let streamed = try tepat(["run", demo, "--stream", "--out", out, "--bootstrap", "20", "--no-store"])
        XCTAssertEqual(streamed.status, 0, streamed.err)
        XCTAssertTrue(streamed.out.contains("365 villages ranked, 6000 households scored (pmt)"), streamed.out)
        XCTAssertTrue(streamed.err.contains("note: --stream does not allocate funds"), streamed.err)
        for file in ["rankings.csv", "households_scored.csv", "assignment.csv", "report.html", "summary.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + file), file)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/allocation.csv"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent), ["run"], "the spill and id partitions are removed")
        let refused = try tepat(["run", demo, "--stream", "--method", "asset_index", "--out", parent + "/refused", "--no-store"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("--stream scores with the PMT and needs survey.csv"), refused.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: parent + "/refused"))
    }

    func testValidateListsEveryProblemAndExitsOne() throws {
        let dir = scratch()
        XCTAssertEqual(try tepat(["generate", "--out", dir, "--households", "500", "--villages", "10", "--seed", "1", "--quiet"]).status, 0)
        // Break two lines of households.csv and one of opds.csv.
        let path = dir + "/households.csv"
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let tenure = try XCTUnwrap(lines[5].range(of: ",own,"))  // house_tenure comes before toilet
        lines[5].replaceSubrange(tenure, with: ",owned,")
        lines[9] = lines[9] + ",extra"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let opds = dir + "/opds.csv"
        try (try String(contentsOfFile: opds, encoding: .utf8)).replacingOccurrences(of: "DINKES,Dinas Kesehatan,health,2", with: "DINKES,Dinas Kesehatan,health,two")
            .write(toFile: opds, atomically: true, encoding: .utf8)
        let result = try tepat(["validate", dir])
        XCTAssertEqual(result.status, 1)
        let errors = result.err.split(separator: "\n").map(String.init)
        XCTAssertEqual(errors.count, 4, result.err)
        XCTAssertTrue(errors[0].hasPrefix("households.csv:6:"), errors[0])
        XCTAssertTrue(errors[0].contains("house_tenure = \"owned\": unknown category; expected one of: own, rent, rent_free, official, other"), errors[0])
        XCTAssertEqual(errors[1], "households.csv:10:47: this row has 47 fields but the header has 46; is a value with a comma not quoted?")
        XCTAssertEqual(errors[2], "opds.csv:3:4: capacity = \"two\": expected a whole number from 1 to 100000")
        XCTAssertEqual(errors[3], "3 problems in \(dir).")
    }

    /// The demo's verification form through `tepat verify apply` (a bad form
    /// first: exit 1, every problem, nothing written) and `tepat compare-data`.
    func testVerifyApplyAndCompareDataOnTheDemo() throws {
        let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Data/demo").standardized.path
        let dir = scratch()
        let run = try tepat(["run", demo, "--out", dir + "/run", "--bootstrap", "20", "--scoring-only", "--no-store"])
        XCTAssertEqual(run.status, 0, run.err)
        XCTAssertTrue(run.out.contains("Verification: "), run.out)
        let form = try String(contentsOfFile: dir + "/run/verification_form.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertGreaterThanOrEqual(form.count, 2)
        // The last seven fields are the five decisions and the note, all empty.
        func filled(_ line: String, tick: Int) -> String {
            var fields = line.components(separatedBy: ",")
            fields[fields.count - 6 + tick] = "x"
            return fields.joined(separator: ",")
        }
        let bad = [form[0], filled(form[1], tick: 0), filled(form[1], tick: 2)].joined(separator: "\n") + "\n,,,RT-0000000000-00000,,,,,x,,,,,\n"
        try bad.write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let refused = try tepat(["verify", "apply", demo, dir + "/bad.csv", "--out", dir + "/new"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("bad.csv:3:4: household_id = "), refused.err)
        XCTAssertTrue(refused.err.contains("already on line 2: one row per household"), refused.err)
        XCTAssertTrue(refused.err.contains("bad.csv:4:4: household_id = \"RT-0000000000-00000\": no such household in households.csv"), refused.err)
        XCTAssertTrue(refused.err.hasSuffix("2 problems in the form; nothing was written.\n"), refused.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/new"))

        try ([form[0], filled(form[1], tick: 3)].joined(separator: "\n") + "\n").write(toFile: dir + "/good.csv", atomically: true, encoding: .utf8)
        let applied = try tepat(["verify", "apply", demo, dir + "/good.csv", "--out", dir + "/new"])
        XCTAssertEqual(applied.status, 0, applied.err)
        XCTAssertTrue(applied.out.hasPrefix("Wrote \(dir)/new: 5999 households (1 removed)."), applied.out)
        let compared = try tepat(["compare-data", demo, dir + "/new", "--verification", dir + "/run/verification.csv", "--out", dir + "/cd.csv"])
        XCTAssertEqual(compared.status, 0, compared.err)
        XCTAssertTrue(compared.out.hasPrefix("Households: 6000 → 5999 (0 entered, 1 left)"), compared.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/cd.csv"))

        // The same forms filled in in Excel: problems name the sheet's cells.
        try ResultsWorkbook.write(csv: dir + "/bad.csv", sheet: "verification_form", to: dir + "/bad.xlsx")
        let refusedBook = try tepat(["verify", "apply", demo, dir + "/bad.xlsx", "--out", dir + "/new-xlsx"])
        XCTAssertEqual(refusedBook.status, 1)
        XCTAssertTrue(refusedBook.err.contains("bad.xlsx:verification_form!D4: household_id = \"RT-0000000000-00000\": no such household in households.csv"), refusedBook.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/new-xlsx"))
        try ResultsWorkbook.write(csv: dir + "/good.csv", sheet: "verification_form", to: dir + "/good.xlsx")
        let appliedBook = try tepat(["verify", "apply", demo, dir + "/good.xlsx", "--out", dir + "/new-xlsx"])
        XCTAssertEqual(appliedBook.status, 0, appliedBook.err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/new-xlsx/households.csv")),
                       try Data(contentsOf: URL(fileURLWithPath: dir + "/new/households.csv")), "the workbook form gives the same registry")
    }

    func testUsageErrorsExitTwo() throws {
        let missing = try tepat(["validate"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.err.contains("Missing expected argument '<DATA_DIR>'"), missing.err)
        let badRegion = try tepat(["generate", "--out", scratch(), "--region", "nowhere", "--quiet"])
        XCTAssertEqual(badRegion.status, 2)
        XCTAssertTrue(badRegion.err.contains("--region nowhere is not a province or kabupaten/kota code like 35.14"), badRegion.err)
    }
}

/// The exported allocation MIP, solved by HiGHS (highspy, from PyPI), agrees
/// with summary.json within the reported gap: Tepat's plan is one of the
/// program's points, so HiGHS's optimum is at least the objective, and the
/// bound holds for it. CI installs highspy; elsewhere the test says how to get it.
final class MPSExportTests: XCTestCase {
    func testHiGHSOptimumAgreesWithinTheGap() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import highspy"]
        check.standardError = FileHandle.nullDevice
        try check.run(); check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            throw XCTSkip("highspy is not installed: pip install highspy (CI installs it)")
        }
        let dir = NSTemporaryDirectory() + "tepat-mps-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        XCTAssertEqual(try runTepat(["generate", "--out", dir + "/data", "--households", "1500", "--villages", "15", "--seed", "3", "--quiet"]).status, 0)
        let run = try runTepat(["run", dir + "/data", "--out", dir + "/run", "--bootstrap", "20", "--export-mps", dir + "/alloc.mps", "--quiet"])
        XCTAssertEqual(run.status, 0, run.err)
        let mps = try String(contentsOfFile: dir + "/alloc.mps", encoding: .utf8)
        XCTAssertTrue(mps.contains("'MARKER' 'INTORG'"), "integer columns are marked")
        let script = """
            import highspy, json, sys
            h = highspy.Highs(); h.setOptionValue("output_flag", False)
            h.setOptionValue("mip_rel_gap", 1e-7)
            h.readModel(sys.argv[1]); h.run()
            a = json.load(open(sys.argv[2]))["allocation"]
            print(repr(-h.getInfo().objective_function_value))
            print(repr(a["objective"])); print(repr(a["bound"])); print(repr(a["gap"]))
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, dir + "/alloc.mps", dir + "/run/summary.json"]
        let out = Pipe()
        python.standardOutput = out
        python.standardError = FileHandle.nullDevice
        try python.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        let values = text.split(separator: "\n").compactMap { Double($0) }
        XCTAssertEqual(values.count, 4, text)
        guard values.count == 4 else { return }
        let (highs, objective, bound, gap) = (values[0], values[1], values[2], values[3])
        XCTAssertGreaterThan(objective, 0)
        XCTAssertGreaterThanOrEqual(highs, objective * (1 - 1e-9), "Tepat's plan is a point of the exported program")
        XCTAssertLessThanOrEqual(highs, bound * (1 + 1e-7), "the bound holds for HiGHS's optimum too")
        XCTAssertLessThanOrEqual((highs - objective) / bound, gap + 1e-7, "agreement within the reported gap")
    }
}
