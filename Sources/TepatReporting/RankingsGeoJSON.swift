import Foundation
import TepatData

/// rankings.geojson: one feature per village with rankings.csv's columns as
/// properties (read back from the file just written, so the two cannot
/// disagree), its polygons when a boundaries file has them, else a point at
/// villages.csv's lat/lon, else no geometry. Opens in QGIS as it is.
public enum RankingsGeoJSON {
    /// rankings.csv's columns that are text; every other column is a number.
    static let textColumns: Set<String> = ["kode_desa", "nama_desa", "nama_kecamatan", "top_deprivations", "idm_status", "quality", "quadrant"]

    public static func write(rankings csvPath: String, boundaries: VillageBoundaries?, to path: String) throws {
        let (header, rows) = try CSVReader.records(path: csvPath)
        let code = header.firstIndex(of: "kode_desa")!, lat = header.firstIndex(of: "lat")!, lon = header.firstIndex(of: "lon")!
        var out = "{\"type\":\"FeatureCollection\",\"features\":[\n"
        for (k, row) in rows.enumerated() {
            let properties = header.indices.map { c in
                JSON.quote(header[c]) + ":" + (row[c].isEmpty ? "null" : textColumns.contains(header[c]) ? JSON.quote(row[c]) : row[c])
            }
            let polygons = RegionCode(row[code]).flatMap { boundaries?.polygons[$0.value] }
            let geometry = polygons.map(multiPolygon) ?? point(lon: row[lon], lat: row[lat])
            out += "{\"type\":\"Feature\",\"properties\":{" + properties.joined(separator: ",") + "},\"geometry\":" + geometry + "}"
            out += k + 1 < rows.count ? ",\n" : "\n"
        }
        out += "]}\n"
        try out.write(toFile: path, atomically: false, encoding: .utf8)
    }

    static func point(lon: String, lat: String) -> String {
        lon.isEmpty || lat.isEmpty ? "null" : "{\"type\":\"Point\",\"coordinates\":[\(lon),\(lat)]}"
    }

    static func multiPolygon(_ polygons: [VillageBoundaries.Polygon]) -> String {
        let text = polygons.map { rings in
            "[" + rings.map { ring in "[" + ring.map { "[\(JSON.fixed($0.lon, decimals: 6)),\(JSON.fixed($0.lat, decimals: 6))]" }.joined(separator: ",") + "]" }
                .joined(separator: ",") + "]"
        }.joined(separator: ",")
        return "{\"type\":\"MultiPolygon\",\"coordinates\":[" + text + "]}"
    }
}
