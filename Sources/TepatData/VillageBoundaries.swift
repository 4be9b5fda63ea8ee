import Foundation

/// Village polygons from a GeoJSON FeatureCollection (WGS84, [lon, lat]), each
/// feature a village named by its `kode_desa` property, its geometry a Polygon
/// or MultiPolygon. Rings are kept closed; holes are kept as further rings.
public struct VillageBoundaries: Sendable {
    public struct Point: Sendable, Equatable {
        public var lon: Double
        public var lat: Double
    }
    /// A closed ring: the first point repeated last.
    public typealias Ring = [Point]
    /// A polygon: its outer ring, then its holes.
    public typealias Polygon = [Ring]

    /// Per village code (`RegionCode.value`), its polygons.
    public var polygons: [Int64: [Polygon]]
    public let file: String

    public init(polygons: [Int64: [Polygon]], file: String) {
        self.polygons = polygons
        self.file = file
    }

    /// Reads `path`; every problem (not GeoJSON, a feature without a village
    /// code, a geometry that is not a polygon, a coordinate off the globe, a
    /// ring of fewer than three points, a village twice) named by feature.
    public static func read(path: String) throws(DataErrors) -> VillageBoundaries {
        let name = (path as NSString).lastPathComponent
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DataErrors(DataProblem(file: name, message: "cannot be read as GeoJSON: \(Self.reason(error))"))
        }
        guard let collection = root as? [String: Any], collection["type"] as? String == "FeatureCollection",
              let features = collection["features"] as? [Any] else {
            throw DataErrors(DataProblem(file: name, message: "expected a GeoJSON FeatureCollection with a features array"))
        }
        var problems = ProblemLog()
        var polygons: [Int64: [Polygon]] = [:]
        for (k, item) in features.enumerated() {
            let feature = item as? [String: Any] ?? [:]
            let properties = feature["properties"] as? [String: Any] ?? [:]
            let where_ = "feature \(k + 1)"
            guard let codeText = properties["kode_desa"] as? String else {
                problems.record(DataProblem(file: name, message: "\(where_): no kode_desa property (a village code like 35.14.01.2001)"))
                continue
            }
            guard let code = RegionCode(codeText), code.level == .village else {
                problems.record(DataProblem(file: name, column: "kode_desa", value: codeText, message: "\(where_): not a village code like 35.14.01.2001"))
                continue
            }
            guard polygons[code.value] == nil else {
                problems.record(DataProblem(file: name, column: "kode_desa", value: codeText, message: "\(where_): a second feature for this village"))
                continue
            }
            do {
                polygons[code.value] = try geometry(feature["geometry"])
            } catch {
                problems.record(DataProblem(file: name, column: "kode_desa", value: codeText, message: "\(where_): \(error.message)"))
            }
        }
        guard problems.isEmpty else { throw DataErrors(problems) }
        return VillageBoundaries(polygons: polygons, file: name)
    }

    struct GeometryProblem: Error { let message: String }

    static func geometry(_ value: Any?) throws(GeometryProblem) -> [Polygon] {
        guard let geometry = value as? [String: Any], let type = geometry["type"] as? String else {
            throw GeometryProblem(message: "no geometry")
        }
        switch type {
        case "Polygon": return [try polygon(geometry["coordinates"])]
        case "MultiPolygon":
            guard let parts = geometry["coordinates"] as? [Any], !parts.isEmpty else { throw GeometryProblem(message: "a MultiPolygon without polygons") }
            return try parts.map { (part: Any) throws(GeometryProblem) in try polygon(part) }
        default: throw GeometryProblem(message: "geometry \(type); expected Polygon or MultiPolygon")
        }
    }

    static func polygon(_ value: Any?) throws(GeometryProblem) -> Polygon {
        guard let rings = value as? [Any], !rings.isEmpty else { throw GeometryProblem(message: "a polygon without rings") }
        return try rings.map { (ring: Any) throws(GeometryProblem) -> Ring in
            guard let positions = ring as? [Any] else { throw GeometryProblem(message: "a ring that is not a list of positions") }
            var points: Ring = try positions.map { (position: Any) throws(GeometryProblem) -> Point in
                guard let pair = position as? [Any], pair.count >= 2,
                      let lon = (pair[0] as? NSNumber)?.doubleValue, let lat = (pair[1] as? NSNumber)?.doubleValue else {
                    throw GeometryProblem(message: "a position that is not [lon, lat]")
                }
                guard (-180...180).contains(lon), (-90...90).contains(lat) else {
                    throw GeometryProblem(message: "position [\(lon), \(lat)] is off the globe (GeoJSON is [lon, lat] in degrees)")
                }
                return Point(lon: lon, lat: lat)
            }
            if let first = points.first, first != points.last { points.append(first) }
            guard points.count >= 4 else { throw GeometryProblem(message: "a ring of fewer than three points") }
            return points
        }
    }

    static func reason(_ error: Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
        return text.isEmpty ? "\(error)" : text
    }
}
