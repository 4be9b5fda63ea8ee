import Foundation

/// Small inline SVG charts for report.html: no script, no network, fixed number
/// formats so the page is byte-identical across runs.
enum SVG {
    /// Escapes text for HTML and SVG.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    /// A chart label that fits its column (the full text is in the tooltip).
    static func short(_ label: String, limit: Int = 34) -> String {
        label.count <= limit ? label : String(label.prefix(limit - 1)) + "…"
    }

    /// Sequential colour for a value in [0, 1] (yellow → orange → dark red),
    /// readable by the colour-blind and in greyscale print.
    static func heat(_ t: Double) -> String {
        ramp([(255, 255, 204), (254, 217, 118), (253, 141, 60), (227, 26, 28), (128, 0, 38)], t)
    }

    /// The colour at `t` in [0, 1] along `stops`, linearly between neighbours.
    static func ramp(_ stops: [(Double, Double, Double)], _ t: Double) -> String {
        let x = min(1, max(0, t.isFinite ? t : 0)) * Double(stops.count - 1)
        let k = min(stops.count - 2, Int(x)), u = x - Double(k)
        let a = stops[k], b = stops[k + 1]
        return String(format: "#%02x%02x%02x", Int((a.0 + u * (b.0 - a.0)).rounded()), Int((a.1 + u * (b.1 - a.1)).rounded()), Int((a.2 + u * (b.2 - a.2)).rounded()))
    }

    /// A bar from `low` to `high` on [1, scale] with a dot at `value`: a rank
    /// interval in one table cell.
    static func intervalBar(low: Double, high: Double, value: Double, scale: Double, width: Double = 180, colour: String) -> String {
        let x = { (v: Double) in 4 + (width - 8) * (v - 1) / max(1, scale - 1) }
        return """
            <svg class="bar" width="\(f(width))" height="14" viewBox="0 0 \(f(width)) 14" role="img"><line x1="4" y1="7" x2="\(f(width - 4))" y2="7" stroke="#ddd"/>\
            <rect x="\(f(x(low)))" y="3" width="\(f(max(1.5, x(high) - x(low))))" height="8" rx="2" fill="\(colour)" opacity="0.75"/>\
            <circle cx="\(f(x(value)))" cy="7" r="3" fill="#222"/></svg>
            """
    }

    /// Villages as points at their coordinates, coloured by `value` in [0, max].
    static func map(lat: [Double], lon: [Double], value: [Double], labels: [String], width: Double = 640, legend: (String, String)) -> String? {
        let points = lat.indices.filter { lat[$0].isFinite && lon[$0].isFinite }
        guard points.count >= 2 else { return nil }
        let la = points.map { lat[$0] }, lo = points.map { lon[$0] }
        let minLat = la.min()!, maxLat = la.max()!, minLon = lo.min()!, maxLon = lo.max()!
        // Equirectangular: a degree of longitude is cos(latitude) of a degree of latitude.
        let k = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = max(1e-6, (maxLon - minLon) * k), spanY = max(1e-6, maxLat - minLat)
        let inner = width - 40
        let height = min(720, max(200, inner * spanY / spanX + 40))
        let scale = min(inner / spanX, (height - 40) / spanY)
        let top = value.max() ?? 1
        var out = "<svg class=\"map\" width=\"\(f(width))\" height=\"\(f(height + 30))\" viewBox=\"0 0 \(f(width)) \(f(height + 30))\" role=\"img\">"
        out += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#f4f7fa\" rx=\"6\"/>"
        // Poorest last, so they are drawn on top.
        for i in points.sorted(by: { (value[$0], $0) < (value[$1], $1) }) {
            let x = 20 + (lon[i] - minLon) * k * scale, y = 20 + (maxLat - lat[i]) * scale
            out += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"4.5\" fill=\"\(heat(top > 0 ? value[i] / top : 0))\" stroke=\"#555\" stroke-width=\"0.4\"><title>\(escape(labels[i]))</title></circle>"
        }
        return out + colourLegend(y: height + 8, colour: heat, legend) + "</svg>"
    }

    /// A map's colour scale: ten steps from `legend.0` (above its left end) to
    /// `legend.1` (at its right).
    static func colourLegend(y: Double, colour: (Double) -> String, _ legend: (String, String)) -> String {
        var out = ""
        for s in 0..<10 {
            out += "<rect x=\"\(f(20 + Double(s) * 16))\" y=\"\(f(y))\" width=\"16\" height=\"12\" fill=\"\(colour(Double(s) / 9))\"/>"
        }
        out += "<text x=\"186\" y=\"\(f(y + 10))\" font-size=\"11\">\(escape(legend.1))</text>"
        return out + "<text x=\"20\" y=\"\(f(y - 2))\" font-size=\"11\" text-anchor=\"start\" dy=\"-2\">\(escape(legend.0))</text>"
    }

    /// Paired horizontal bars (before/after) per label.
    static func pairedBars(labels: [String], before: [Double], after: [Double], format: (Double) -> String, legend: (String, String), width: Double = 640) -> String {
        let rowHeight = 26.0, labelWidth = 230.0, valueWidth = 120.0
        let top = max(1e-12, before.max() ?? 0, after.max() ?? 0)
        let plot = width - labelWidth - valueWidth
        let height = Double(labels.count) * rowHeight + 28
        var out = "<svg class=\"chart\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\">"
        for (i, label) in labels.enumerated() {
            let y = Double(i) * rowHeight
            out += "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + 15))\" font-size=\"12\" text-anchor=\"end\">\(escape(short(label)))<title>\(escape(label))</title></text>"
            out += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y + 3))\" width=\"\(f(plot * before[i] / top))\" height=\"9\" fill=\"#9aa5b1\"/>"
            out += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y + 13))\" width=\"\(f(plot * after[i] / top))\" height=\"9\" fill=\"#1f77b4\"/>"
            out += "<text x=\"\(f(labelWidth + plot + 6))\" y=\"\(f(y + 16))\" font-size=\"11\">\(escape(format(before[i]) + " → " + format(after[i])))</text>"
        }
        let y = Double(labels.count) * rowHeight + 8
        out += "<rect x=\"\(f(labelWidth))\" y=\"\(f(y))\" width=\"12\" height=\"10\" fill=\"#9aa5b1\"/><text x=\"\(f(labelWidth + 16))\" y=\"\(f(y + 9))\" font-size=\"11\">\(escape(legend.0))</text>"
        out += "<rect x=\"\(f(labelWidth + 90))\" y=\"\(f(y))\" width=\"12\" height=\"10\" fill=\"#1f77b4\"/><text x=\"\(f(labelWidth + 106))\" y=\"\(f(y + 9))\" font-size=\"11\">\(escape(legend.1))</text>"
        return out + "</svg>"
    }

    /// Stacked horizontal bars: one row per label, one segment per part.
    static func stackedBars(labels: [String], parts: [String], values: [[Double]], total: (Int) -> String, width: Double = 640) -> String {
        let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"]
        let rowHeight = 24.0, labelWidth = 230.0, valueWidth = 110.0
        let plot = width - labelWidth - valueWidth
        let top = max(1e-12, values.map { $0.reduce(0, +) }.max() ?? 0)
        let legendRows = Double((parts.count + 3) / 4)
        let height = Double(labels.count) * rowHeight + 10 + legendRows * 18
        var out = "<svg class=\"chart\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\">"
        for (i, label) in labels.enumerated() {
            let y = Double(i) * rowHeight
            out += "<text x=\"\(f(labelWidth - 6))\" y=\"\(f(y + 15))\" font-size=\"12\" text-anchor=\"end\">\(escape(short(label)))<title>\(escape(label))</title></text>"
            var x = labelWidth
            for (k, v) in values[i].enumerated() where v > 0 {
                let w = plot * v / top
                out += "<rect x=\"\(f(x))\" y=\"\(f(y + 4))\" width=\"\(f(w))\" height=\"14\" fill=\"\(palette[k % palette.count])\"><title>\(escape(parts[k]))</title></rect>"
                x += w
            }
            out += "<text x=\"\(f(x + 6))\" y=\"\(f(y + 15))\" font-size=\"11\">\(escape(total(i)))</text>"
        }
        for (k, part) in parts.enumerated() {
            let x = labelWidth + Double(k % 4) * 110, y = Double(labels.count) * rowHeight + 6 + Double(k / 4) * 18
            out += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"12\" height=\"10\" fill=\"\(palette[k % palette.count])\"/><text x=\"\(f(x + 16))\" y=\"\(f(y + 9))\" font-size=\"11\">\(escape(part))</text>"
        }
        return out + "</svg>"
    }
}
