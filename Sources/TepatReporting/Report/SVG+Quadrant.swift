import Foundation

extension SVG {
    struct QuadrantPoint {
        var x: Double
        var y: Double
        var quadrant: Int
        var tooltip: String
        var label: String?
    }

    /// The TKPK quadrant chart: P0 across, poor persons up, dashed lines at the
    /// splits, each quadrant's name in its corner, points coloured by quadrant.
    static func quadrantChart(
        _ points: [QuadrantPoint], xSplit: Double, ySplit: Double, names: [String], axes: (String, String),
        format: (x: (Double) -> String, y: (Double) -> String), width: Double = 640
    ) -> String {
        let palette = ["#c0392b", "#e67e22", "#7f8c8d", "#8e44ad"]
        let left = 64.0, bottom = 40.0, top = 14.0, right = 14.0, height = 420.0
        // Room above and right of the farthest point, so the corners' names stay clear.
        let maxX = max(xSplit * 2, (points.map(\.x).max() ?? 0) * 1.12, 1e-9)
        let maxY = max(ySplit * 2, (points.map(\.y).max() ?? 0) * 1.15, 1e-9)
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + x / maxX * plotW }
        func py(_ y: Double) -> Double { top + plotH - y / maxY * plotH }
        var out = "<svg class=\"chart\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\">"
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"#fafbfc\" stroke=\"#ccd\"/>"
        // Quadrant names: I top right, II top left, III bottom left, IV bottom right.
        let corners = [(px(maxX) - 6, top + 14, "end"), (left + 6, top + 14, "start"), (left + 6, top + plotH - 6, "start"), (px(maxX) - 6, top + plotH - 6, "end")]
        var cornerNames = ""
        for (q, corner) in corners.enumerated() {
            cornerNames += "<text x=\"\(f(corner.0))\" y=\"\(f(corner.1))\" font-size=\"11\" font-weight=\"600\" fill=\"\(palette[q])\" text-anchor=\"\(corner.2)\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\(escape(names[q]))</text>"
        }
        out += "<line x1=\"\(f(px(xSplit)))\" y1=\"\(f(top))\" x2=\"\(f(px(xSplit)))\" y2=\"\(f(top + plotH))\" stroke=\"#556\" stroke-dasharray=\"4 3\"/>"
        out += "<line x1=\"\(f(left))\" y1=\"\(f(py(ySplit)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(ySplit)))\" stroke=\"#556\" stroke-dasharray=\"4 3\"/>"
        for tick in 0...4 {
            let x = maxX * Double(tick) / 4, y = maxY * Double(tick) / 4
            out += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotH + 14))\" font-size=\"10\" text-anchor=\"middle\">\(escape(format.x(x)))</text>"
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 3))\" font-size=\"10\" text-anchor=\"end\">\(escape(format.y(y)))</text>"
        }
        out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 6))\" font-size=\"11\" text-anchor=\"middle\">\(escape(axes.0))</text>"
        out += "<text x=\"12\" y=\"\(f(top + plotH / 2))\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(f(top + plotH / 2)))\">\(escape(axes.1))</text>"
        var labels = ""
        for p in points {
            out += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3.5\" fill=\"\(palette[p.quadrant])\" fill-opacity=\"0.75\"><title>\(escape(p.tooltip))</title></circle>"
            if let label = p.label {
                labels += "<text x=\"\(f(px(p.x) + 5))\" y=\"\(f(py(p.y) - 4))\" font-size=\"10\" stroke=\"#fff\" stroke-width=\"2.5\" paint-order=\"stroke\">\(escape(label))</text>"
            }
        }
        return out + labels + cornerNames + "</svg>"
    }
}
