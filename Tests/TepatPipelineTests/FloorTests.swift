import Foundation
import TepatData
import TepatPipeline
import XCTest

/// Floors per IDM status on the demo kabupaten: a floor the budgets can meet is
/// met in whole households by every village of that status.
final class FloorTests: XCTestCase {
    static let demo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Data/demo").standardized.path

    /// 2,000,000 and 10,000,000 were refused ("no plan in whole households
    /// meets every floor") while 1,000,000, 5,000,000 and 30,000,000 were planned: rounding paid the other
    /// villages first, and the LP had spent every budget by the time a floor
    /// village left short by rounding asked for more.
    func testEveryFeasibleFloorIsMetByEveryVillageOfItsStatus() throws {
        let (header, rows) = try CSVReader.records(path: Self.demo + "/villages.csv")
        let code = header.firstIndex(of: "kode_desa")!, status = header.firstIndex(of: "idm_status")!
        let poorest = Set(rows.filter { $0[status] == "sangat_tertinggal" }.map { $0[code] })
        XCTAssertEqual(poorest.count, 50)
        for floor: Int64 in [1_000_000, 2_000_000, 5_000_000, 10_000_000, 30_000_000] {
            let out = NSTemporaryDirectory() + "tepat-floor-\(floor)-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: out) }
            var run = PlanRun(dataDirectory: Self.demo, outputDirectory: out)
            run.options.bootstrap = 0
            run.writeWorkbook = false
            run.allocation.floors = ["sangat_tertinggal": floor]
            let outcome = try run.execute()
            let plan = try XCTUnwrap(outcome.plan)
            XCTAssertLessThanOrEqual(plan.objective, plan.bound * (1 + 1e-9), "floor \(floor)")
            let after = try CSVReader.records(path: out + "/villages_after.csv")
            let village = after.header.firstIndex(of: "kode_desa")!, funds = after.header.firstIndex(of: "funds_rp")!
            let short = after.rows.filter { poorest.contains($0[village]) && Int64($0[funds])! < floor }
            XCTAssertEqual(short.map { $0[village] }, [], "floor \(floor): villages below it")
        }
    }
}
