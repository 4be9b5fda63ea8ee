import Foundation
import XCTest

/// The bad-input corpus (Tests/TepatCLITests/BadInput, made by make_corpus.py):
/// each file replaces one file of a copy of the demo data, or is a scenario. The
/// real `tepat` must exit 1 (never crash, never hang), print the message written
/// by hand in expected.tsv, and leave no run directory behind (`OK …`: accept the
/// file and print that). Workbooks (households.xlsx/) stand in for the CSV. Two inputs too
/// large to check in (a 65 MiB field, a header of a million columns) are made here.
final class BadInputCorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInput").path
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Data/demo").path

    func expectations() throws -> [(file: String, message: String)] {
        let text = try String(contentsOfFile: Self.corpus + "/expected.tsv", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            return (String(parts[0]), String(parts[1]))
        }
    }

    func testEveryCorpusFileHasAnExpectation() throws {
        let listed = Set(try expectations().map(\.file))
        let files = FileManager.default.enumerator(atPath: Self.corpus)!.compactMap { $0 as? String }
            .filter { $0.contains("/") && !$0.hasSuffix(".py") }
        XCTAssertEqual(Set(files), listed, "every corpus file has a message in expected.tsv, and every message a file")
        XCTAssertGreaterThanOrEqual(files.count, 50)
    }

    func testCorpus() throws {
        for (file, message) in try expectations() {
            let path = Self.corpus + "/" + file
            let folder = (file as NSString).deletingLastPathComponent
            if folder == "scenario" {
                let result = try runTepat(["scenario", "check", path])
                XCTAssertEqual(result.status, 1, "\(file): exit status (a crash is a signal)\n\(result.err)")
                XCTAssertTrue(result.err.contains(message), "\(file): expected\n  \(message)\ngot\n  \(result.err)")
                continue
            }
            try check(file: file, replacing: folder, with: path, message: message)
        }
    }

    /// A field longer than the reader's 64 MiB record limit: refused with the
    /// line, without reading the whole line into memory first.
    func testFieldLongerThanTheRecordLimit() throws {
        let path = NSTemporaryDirectory() + "tepat-long-field-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var header = try String(contentsOfFile: Self.demo + "/households.csv", encoding: .utf8).prefix { $0 != "\n" }
        header += "\n"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(header.utf8)))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<65 { try handle.write(contentsOf: block) }
        try handle.close()
        try check(file: "long field", replacing: "households.csv", with: path, message: "households.csv:2: a record longer than 64 MiB")
    }

    /// A header of a million columns: refused at the header, in bounded memory.
    func testMillionColumnHeader() throws {
        let path = NSTemporaryDirectory() + "tepat-wide-header-\(getpid()).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = (0..<1_000_000).map { "c\($0)" }.joined(separator: ",") + "\n"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(header.utf8)))
        try check(file: "wide header", replacing: "households.csv", with: path, message: "households.csv:1: the header has 1000000 columns; at most 10000 are accepted")
    }

    /// Copies the demo data, puts `path` in place of `target`, runs `tepat run`
    /// and checks the exit status, the message, that nothing was written and
    /// that no NIK of the input appears in what tepat printed.
    func check(file: String, replacing target: String, with path: String, message: String) throws {
        let data = NSTemporaryDirectory() + "tepat-bad-\(UUID().uuidString)"
        let out = data + "-run"
        defer { try? FileManager.default.removeItem(atPath: data); try? FileManager.default.removeItem(atPath: out) }
        try FileManager.default.copyItem(atPath: Self.demo, toPath: data)
        // A workbook stands in for the CSV of the same name.
        try FileManager.default.removeItem(atPath: data + "/" + target.replacingOccurrences(of: ".xlsx", with: ".csv"))
        try FileManager.default.copyItem(atPath: path, toPath: data + "/" + target)
        let result = try runTepat(["run", data, "--out", out, "--no-store", "--scoring-only"])
        let printed = result.out + result.err
        if message.hasPrefix("OK ") {
            XCTAssertEqual(result.status, 0, "\(file): accepted\n\(result.err)")
            XCTAssertTrue(printed.contains(message.dropFirst(3)), "\(file): expected\n  \(message)\ngot\n  \(printed)")
        } else {
            XCTAssertEqual(result.status, 1, "\(file): exit status (a crash is a signal)\n\(result.err)")
            XCTAssertTrue(result.err.contains(message), "\(file): expected\n  \(message)\ngot\n  \(result.err.prefix(2_000))")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(file): a failed run leaves no run directory")
        }
        for nik in Self.niks(in: data + "/households.csv") {
            XCTAssertFalse(printed.contains(nik), "\(file): a NIK of the input was printed")
        }
    }

    /// `--strata urban_rural` with only three urban survey households: refused,
    /// and the message says the urban model is short, not the whole survey.
    func testTooFewHouseholdsInAStratumNamesTheStratum() throws {
        let data = NSTemporaryDirectory() + "tepat-strata-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.copyItem(atPath: Self.demo, toPath: data)
        var lines = try String(contentsOfFile: data + "/survey.csv", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Every survey household in a desa but three, moved into a kelurahan
        // (a village code's fourth part starts with 1 for a kelurahan).
        let desa = "35.14.06.2001"
        for k in 1..<lines.count where !lines[k].isEmpty {
            var fields = lines[k].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[1] = k <= 3 ? "35.14.06.1024" : (fields[1].split(separator: ".")[3].hasPrefix("1") ? desa : fields[1])
            lines[k] = fields.joined(separator: ",")
        }
        try lines.joined(separator: "\n").write(toFile: data + "/survey.csv", atomically: true, encoding: .utf8)
        let result = try runTepat(["run", data, "--out", data + "-run", "--no-store", "--scoring-only", "--strata", "urban_rural"])
        XCTAssertEqual(result.status, 1, result.err)
        XCTAssertTrue(result.err.contains("survey.csv has 3 usable urban households but the urban PMT has"), result.err)
        XCTAssertTrue(result.err.contains("terms; it needs more households than terms (or run without --strata)"), result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: data + "-run"))
    }

    /// 16-digit runs in a file (the NIKs of its households).
    static func niks(in path: String) -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path), data.count < 10 << 20 else { return [] }
        var found = Set<String>(), run: [UInt8] = []
        for b in data + [0] {
            if b >= 48 && b <= 57 { run.append(b); continue }
            if run.count == 16 { found.insert(String(decoding: run, as: UTF8.self)) }
            run.removeAll()
        }
        return found
    }
}
