import Foundation
import TepatData
import TepatPipeline
import XCTest

/// Village polygons: reading a boundaries file, rankings.geojson, the report's maps.
final class BoundariesTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
    static let demo = repository + "/Data/demo"
    static let pasuruan = repository + "/../shared/data/boundaries/desa_35_14.geojson"

    func scratch() -> String {
        let dir = NSTemporaryDirectory() + "tepat-boundaries-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func run(boundaries: String?, to out: String) throws -> PlanRun.Outcome {
        var run = PlanRun(dataDirectory: Self.demo, outputDirectory: out)
        run.options.bootstrap = 20
        run.boundaries = boundaries
        return try run.execute()
    }

    /// The features of rankings.geojson, checked as a GIS would: one per row
    /// of rankings.csv with its columns as properties, every ring closed,
    /// every position on the globe.
    func features(_ directory: String) throws -> [[String: Any]] {
        let geo = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/rankings.geojson"))) as! [String: Any]
        XCTAssertEqual(geo["type"] as? String, "FeatureCollection")
        let features = geo["features"] as! [[String: Any]]
        let (header, rows) = try CSVReader.records(path: directory + "/rankings.csv")
        XCTAssertEqual(features.count, rows.count)
        for (feature, row) in zip(features, rows) {
            let properties = feature["properties"] as! [String: Any]
            XCTAssertEqual(properties.keys.sorted(), header.sorted())
            XCTAssertEqual(properties["kode_desa"] as? String, row[header.firstIndex(of: "kode_desa")!])
            if let p0 = properties["p0"] as? NSNumber { XCTAssertEqual(p0.doubleValue, Double(row[header.firstIndex(of: "p0")!])!, accuracy: 0) }
        }
        return features
    }

    func testPolygonsReachTheGeoJSONAndTheReport() throws {
        guard FileManager.default.fileExists(atPath: Self.pasuruan) else {
            throw XCTSkip("needs ../shared/data/boundaries/desa_35_14.geojson (the shared data beside the repository)")
        }
        let out = scratch() + "/run"
        let outcome = try run(boundaries: Self.pasuruan, to: out)
        XCTAssertFalse(outcome.notes.contains { $0.contains("has polygons for") }, "every demo village has a polygon")
        let features = try features(out)
        for feature in features {
            let geometry = feature["geometry"] as! [String: Any]
            XCTAssertEqual(geometry["type"] as? String, "MultiPolygon")
            for polygon in geometry["coordinates"] as! [[[[Double]]]] {
                for ring in polygon {
                    XCTAssertGreaterThanOrEqual(ring.count, 4)
                    XCTAssertEqual(ring.first, ring.last, "an open ring")
                    for position in ring {
                        XCTAssertTrue((-180...180).contains(position[0]) && (-90...90).contains(position[1]), "\(position)")
                    }
                }
            }
        }
        let report = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        // One shape per village on each of the two maps (P0, and funds), each
        // drawn twice: in its kecamatan's dark outline, and filled.
        XCTAssertEqual(report.components(separatedBy: "\" d=\"M").count - 1, 2 * 365)
        XCTAssertEqual(report.components(separatedBy: "<use href=\"#p0map").count - 1, 2 * 365)
        XCTAssertEqual(report.components(separatedBy: "<use href=\"#fundsmap").count - 1, 2 * 365)
        // One outline layer per kecamatan (Kabupaten Pasuruan has 24) on each map.
        XCTAssertEqual(report.components(separatedBy: "stroke=\"#37474f\"").count - 1, 2 * 24)
        XCTAssertTrue(report.contains("id=\"funds-map\""))
        XCTAssertTrue(report.contains("desa_35_14.geojson"))
    }

    func testWithoutBoundariesVillagesArePoints() throws {
        let out = scratch() + "/run"
        _ = try run(boundaries: nil, to: out)
        for feature in try features(out) {
            let geometry = feature["geometry"] as! [String: Any]
            XCTAssertEqual(geometry["type"] as? String, "Point")
            let position = geometry["coordinates"] as! [Double]
            XCTAssertTrue((-180...180).contains(position[0]) && (-90...90).contains(position[1]))
        }
        XCTAssertFalse(try String(contentsOfFile: out + "/report.html", encoding: .utf8).contains("\" d=\"M"))
    }

    func testEveryProblemOfABoundariesFileIsNamed() throws {
        let path = scratch() + "/b.geojson"
        func problems(_ text: String) -> [String] {
            try! text.write(toFile: path, atomically: true, encoding: .utf8)
            do { _ = try VillageBoundaries.read(path: path); return [] } catch { return error.log.problems.map(\.description) }
        }
        let square = "[[[112.7,-7.8],[112.8,-7.8],[112.8,-7.9],[112.7,-7.8]]]"
        XCTAssertEqual(problems("{\"type\":\"FeatureCollection\",\"features\":[" + [
            "{\"type\":\"Feature\",\"properties\":{\"kode_desa\":\"35.14.01.2001\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":\(square)}}",
            "{\"type\":\"Feature\",\"properties\":{\"name\":\"x\"},\"geometry\":null}",
            "{\"type\":\"Feature\",\"properties\":{\"kode_desa\":\"35.14\"},\"geometry\":null}",
            "{\"type\":\"Feature\",\"properties\":{\"kode_desa\":\"35.14.01.2002\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[112.7,-7.8]}}",
            "{\"type\":\"Feature\",\"properties\":{\"kode_desa\":\"35.14.01.2003\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[-7.8,112.7],[-7.9,112.8],[-7.8,112.9]]]}}",
            "{\"type\":\"Feature\",\"properties\":{\"kode_desa\":\"35.14.01.2004\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[112.7,-7.8],[112.8,-7.8]]]}}",
            "{\"type\":\"Feature\",\"properties\":{\"kode_desa\":\"35.14.01.2001\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":\(square)}}",
        ].joined(separator: ",") + "]}"), [
            "b.geojson: feature 2: no kode_desa property (a village code like 35.14.01.2001)",
            "b.geojson: kode_desa = \"35.14\": feature 3: not a village code like 35.14.01.2001",
            "b.geojson: kode_desa = \"35.14.01.2002\": feature 4: geometry Point; expected Polygon or MultiPolygon",
            "b.geojson: kode_desa = \"35.14.01.2003\": feature 5: position [-7.8, 112.7] is off the globe (GeoJSON is [lon, lat] in degrees)",
            "b.geojson: kode_desa = \"35.14.01.2004\": feature 6: a ring of fewer than three points",
            "b.geojson: kode_desa = \"35.14.01.2001\": feature 7: a second feature for this village",
        ])
        XCTAssertEqual(problems("{\"type\":\"Feature\"}"), ["b.geojson: expected a GeoJSON FeatureCollection with a features array"])
        XCTAssertEqual(problems("{\"type\": ").count, 1)
        XCTAssertTrue(problems("{\"type\": ")[0].hasPrefix("b.geojson: cannot be read as GeoJSON: "))
    }
}

/// The Indonesian report speaks Indonesian: none of the English labels it used
/// to show, in its text or its tooltips.
final class IndonesianReportTests: XCTestCase {
    func testIndonesianReportHasNoEnglishLabels() throws {
        let out = try demoRun("report-id")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        // Visible text and tooltips: tags and file names removed.
        var text = html.replacingOccurrences(of: "<style>[\\s\\S]*?</style>", with: " ", options: .regularExpression)
        text = text.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        text = text.replacingOccurrences(of: "[a-z_]+\\.(csv|html|json|geojson)", with: " ", options: .regularExpression)
        for english in ["housing", "sanitation", "livelihood", "schooling", "social_care", "method", "condition number",
                        "exclusion error", "inclusion error", "survey villages", "bootstrap replicates", "dropped terms",
                        "households deprived", "poor households", "rank interval coverage", "variance explained", "(rank "] {
            XCTAssertFalse(text.contains(english), "'\(english)' in the Indonesian report")
        }
        XCTAssertTrue(text.contains("rumah tidak layak") || text.contains("sanitasi"))
        XCTAssertTrue(text.contains("bilangan kondisi"))
        XCTAssertTrue(text.contains("kesalahan eksklusi"))
    }
}

/// The RPKD tables read what rankings.csv says: the priority locations are its
/// quadrant I villages, the profile has one row per kecamatan.
final class RPKDTablesTests: XCTestCase {
    func testPriorityLocationsAreTheQuadrantOneVillages() throws {
        let out = try demoRun("rpkd")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (header, rows) = try CSVReader.records(path: out + "/rankings.csv")
        let quadrant = header.firstIndex(of: "quadrant")!, name = header.firstIndex(of: "nama_desa")!
        let first = rows.filter { $0[quadrant] == "I" }
        XCTAssertFalse(first.isEmpty)
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        let start = try XCTUnwrap(html.range(of: "<section id=\"rpkd\">"))
        let section = String(html[start.lowerBound...])
        XCTAssertTrue(section.contains("Lokasi prioritas: \(first.count) desa di kuadran I (20 teratas)"))
        for row in first.prefix(20) { XCTAssertTrue(section.contains("<td>\(row[name])</td>"), row[name]) }
        let kecamatan = Set(rows.map { $0[header.firstIndex(of: "nama_kecamatan")!] })
        let profile = section.components(separatedBy: "Lokasi prioritas")[0]
        XCTAssertEqual(profile.components(separatedBy: "<tr><td>").count - 1, kecamatan.count)
    }
}

/// A run of the demo (B = 20) in the temporary folder; its directory.
func demoRun(_ name: String) throws -> String {
    let out = NSTemporaryDirectory() + "tepat-\(name)-\(getpid())"
    var run = PlanRun(dataDirectory: BoundariesTests.demo, outputDirectory: out)
    run.options.bootstrap = 20
    _ = try run.execute()
    return out
}
