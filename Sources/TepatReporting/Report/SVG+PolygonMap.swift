import Foundation
import TepatData

extension SVG {
    /// What a polygon map shows of each village.
    struct MapVillage {
        var polygons: [VillageBoundaries.Polygon]
        /// In [0, 1] for the colour; NaN for no data (grey).
        var shade: Double
        var tooltip: String
        /// Drawn on the map at the polygon's centre (the top villages).
        var label: String?
        var kecamatan: String
    }

    /// Villages as polygons coloured by `shade`, white outlines, kecamatan
    /// borders dark, the labelled villages named at their centres and every
    /// kecamatan's name at the centre of its villages; nil when no village has
    /// a polygon. `id` keeps the shapes of two maps on one page apart.
    static func polygonMap(_ villages: [MapVillage], id: String, colour: (Double) -> String, legend: (String, String), width: Double = 640) -> String? {
        let points = villages.flatMap { $0.polygons.flatMap { $0.first ?? [] } }
        guard points.count >= 3 else { return nil }
        let minLat = points.map(\.lat).min()!, maxLat = points.map(\.lat).max()!
        let minLon = points.map(\.lon).min()!, maxLon = points.map(\.lon).max()!
        // Equirectangular: a degree of longitude is cos(latitude) of a degree of latitude.
        let k = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = max(1e-6, (maxLon - minLon) * k), spanY = max(1e-6, maxLat - minLat)
        let inner = width - 40
        let height = min(760, max(200, inner * spanY / spanX + 40))
        let scale = min(inner / spanX, (height - 40) / spanY)
        func xy(_ p: VillageBoundaries.Point) -> (Double, Double) { (20 + (p.lon - minLon) * k * scale, 20 + (maxLat - p.lat) * scale) }

        var out = "<svg class=\"map\" width=\"\(f(width))\" height=\"\(f(height + 30))\" viewBox=\"0 0 \(f(width)) \(f(height + 30))\" role=\"img\">"
        out += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#f4f7fa\" rx=\"6\"/>"
        var kecamatanCentres: [String: (x: Double, y: Double, n: Double)] = [:]
        var labels = "", shapes = "<defs>"
        var drawn: [(village: MapVillage, ref: String)] = []
        for (n, v) in villages.enumerated() where !v.polygons.isEmpty {
            let path = v.polygons.map { rings in
                rings.map { ring in "M" + ring.map { let (x, y) = xy($0); return f(x) + " " + f(y) }.joined(separator: "L") + "Z" }.joined()
            }.joined()
            shapes += "<path id=\"\(id)\(n)\" d=\"\(path)\" fill-rule=\"evenodd\"/>"
            drawn.append((v, "\(id)\(n)"))
            let outer = v.polygons.max { $0[0].count < $1[0].count }![0]
            let centre = outer.dropLast().reduce((0.0, 0.0)) { let (x, y) = xy($1); return ($0.0 + x, $0.1 + y) }
            let cx = centre.0 / Double(outer.count - 1), cy = centre.1 / Double(outer.count - 1)
            kecamatanCentres[v.kecamatan, default: (0, 0, 0)].x += cx
            kecamatanCentres[v.kecamatan, default: (0, 0, 0)].y += cy
            kecamatanCentres[v.kecamatan, default: (0, 0, 0)].n += 1
            if let label = v.label {
                labels += "<circle cx=\"\(f(cx))\" cy=\"\(f(cy))\" r=\"2\" fill=\"#111\"/>"
                labels += "<text x=\"\(f(cx + 3))\" y=\"\(f(cy - 3))\" font-size=\"10\" font-weight=\"600\" fill=\"#111\" stroke=\"#fff\" stroke-width=\"2.5\" paint-order=\"stroke\">\(escape(label))</text>"
            }
        }
        out += shapes + "</defs>" + kecamatanLayers(drawn, colour: colour)
        for (name, c) in kecamatanCentres.sorted(by: { $0.key < $1.key }) {
            out += "<text x=\"\(f(c.x / c.n))\" y=\"\(f(c.y / c.n))\" font-size=\"9\" fill=\"#445\" fill-opacity=\"0.75\" text-anchor=\"middle\" letter-spacing=\"0.5\">\(escape(name.uppercased()))</text>"
        }
        return out + labels + colourLegend(y: height + 8, colour: colour, legend) + "</svg>"
    }

    /// Kecamatan by kecamatan: a wide dark outline of each of its villages,
    /// then their fills with thin white edges over it. Inside a kecamatan the
    /// fills cover the dark outlines; where two kecamatan meet, the later one's
    /// outline lies over the earlier one's fills, so kecamatan borders (and the
    /// kabupaten's edge) stay dark whether or not neighbours share vertices.
    static func kecamatanLayers(_ drawn: [(village: MapVillage, ref: String)], colour: (Double) -> String) -> String {
        var out = ""
        for (_, members) in Dictionary(grouping: drawn, by: \.village.kecamatan).sorted(by: { $0.key < $1.key }) {
            out += "<g fill=\"none\" stroke=\"#37474f\" stroke-width=\"2.2\" stroke-linejoin=\"round\">"
            for m in members { out += "<use href=\"#\(m.ref)\"/>" }
            out += "</g><g stroke=\"#ffffff\" stroke-width=\"0.6\">"
            for m in members {
                let fill = m.village.shade.isFinite ? colour(m.village.shade) : "#d9d9d9"
                out += "<use href=\"#\(m.ref)\" fill=\"\(fill)\"><title>\(escape(m.village.tooltip))</title></use>"
            }
            out += "</g>"
        }
        return out
    }

    /// Sequential blues for money (light → dark), distinct from the P0 heat.
    static func blues(_ t: Double) -> String {
        ramp([(239, 243, 255), (189, 215, 231), (107, 174, 214), (33, 113, 181), (8, 48, 107)], t)
    }
}
