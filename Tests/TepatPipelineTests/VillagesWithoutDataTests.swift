import Foundation
import XCTest
@testable import TepatPipeline
import TepatScoring

/// A village villages.csv lists but households.csv has no household of: no
/// estimate, no rank, no certainty it does not have, and nothing non-finite in
/// any file.
final class VillagesWithoutDataTests: XCTestCase {
    static let generated = generatedKabupaten("no-data-tests", households: 8_000, villages: 40, seed: 11, survey: 600)

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: generated)
        super.tearDown()
    }

    /// The generated kabupaten with two villages added to villages.csv: one in a
    /// kecamatan that has households, one alone in a kecamatan of its own.
    func dataWithEmptyVillages() throws -> String {
        let dir = NSTemporaryDirectory() + "tepat-no-data-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: Self.generated, toPath: dir)
        let villages = dir + "/villages.csv"
        var text = try String(contentsOfFile: villages, encoding: .utf8)
        text += "35.99.01.2999,Desa Kosong,Banyutengah,Kabupaten Tepat Contoh,500,0,-7.650000,112.740000,tertinggal\n"
        text += "35.99.77.2001,Desa Sepi,Kecamatan Baru,Kabupaten Tepat Contoh,300,0,-7.700000,112.800000,\n"
        try text.write(toFile: villages, atomically: true, encoding: .utf8)
        return dir
    }

    func run(_ data: String, threads: Int) throws -> String {
        let out = NSTemporaryDirectory() + "tepat-no-data-run-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: out) }
        var run = PlanRun(dataDirectory: data, outputDirectory: out)
        run.options.threads = threads
        run.options.bootstrap = 50
        _ = try run.execute()
        return out
    }

    func testVillageWithoutHouseholdsIsNotRankedAndNothingIsNaN() throws {
        let data = try dataWithEmptyVillages()
        let out = try run(data, threads: 2)
        let lines = try String(contentsOfFile: out + "/rankings.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        XCTAssertEqual(rows.count, 42)
        for code in ["35.99.01.2999", "35.99.77.2001"] {
            let row = try XCTUnwrap(rows.first { $0[column("kode_desa")] == code })
            XCTAssertEqual(row[column("quality")], "no_data", code)
            for empty in ["rank", "p0", "p0_lo", "p0_hi", "rank_lo", "rank_hi", "score", "p0_cv"] {
                XCTAssertEqual(row[column(empty)], "", "\(code) \(empty)")
            }
            XCTAssertEqual(row[column("households")], "0")
        }
        // The others are ranked 1…40, first, with intervals that hold their rank.
        let ranked = rows.prefix(40)
        XCTAssertEqual(ranked.map { Int($0[column("rank")])! }, Array(1...40))
        for row in ranked {
            XCTAssertNotEqual(row[column("quality")], "no_data")
            XCTAssertLessThanOrEqual(Int(row[column("rank_lo")])!, Int(row[column("rank")])!)
            XCTAssertGreaterThanOrEqual(Int(row[column("rank_hi")])!, Int(row[column("rank")])!)
        }
        // A non-finite number as any file would print it ("nan", "-nan%", "inf"),
        // not the letters inside a name such as Sananwetan.
        let nonFinite = try NSRegularExpression(pattern: "(^|[,:;>\\s(\"])[-+]?(nan|inf|infinity)(%|[,<\\s);\"]|$)", options: [.caseInsensitive, .anchorsMatchLines])
        for file in try FileManager.default.contentsOfDirectory(atPath: out) where file != "timings.json" {
            let text = file.hasSuffix(".xlsx") ? try workbookText(out + "/" + file) : try String(contentsOfFile: out + "/" + file, encoding: .utf8)
            let match = nonFinite.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
            XCTAssertNil(match, "\(file): \(match.map { (text as NSString).substring(with: $0.range) } ?? "")")
        }
        let report = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        XCTAssertTrue(report.contains("Desa Kosong"), "the report names the village without data")
    }

    /// The ranking among the villages with data is the one without the empty
    /// villages: they move no estimate, no score and no rank. (The intervals
    /// move a little: each village draws its replicate effects from the same
    /// random stream, so added villages shift the draws of those after them.)
    func testEmptyVillagesMoveNoOtherVillage() throws {
        let with = try run(try dataWithEmptyVillages(), threads: 2)
        let without = try run(Self.generated, threads: 2)
        func ranks(_ dir: String) throws -> [String] {
            try String(contentsOfFile: dir + "/rankings.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                .map { line -> String in
                    let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                    return (fields[0..<11] + fields[15..<20]).joined(separator: ",")  // point estimates and score
                }
                .filter { !$0.hasPrefix(",") }
        }
        XCTAssertEqual(try ranks(with), try ranks(without))
    }

    func testSameFilesWithOneAndTwoWorkerThreads() throws {
        let data = try dataWithEmptyVillages()
        let a = try run(data, threads: 1), b = try run(data, threads: 2)
        for file in try FileManager.default.contentsOfDirectory(atPath: a) where file != "timings.json" {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a + "/" + file)), try Data(contentsOf: URL(fileURLWithPath: b + "/" + file)), file)
        }
    }
}
