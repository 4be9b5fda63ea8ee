import Foundation

/// A program in free MPS, the format every LP/MIP solver reads (HiGHS, Cbc,
/// GLPK): rows as N/L/G/E/ranged, integer columns between MARKER lines, and
/// every column's bounds written out, since readers differ on the default
/// bounds of an integer column (some take it as binary).
public enum MPSFile {
    public static func text(_ p: SparseProgram, name: String) -> String {
        var out = "NAME \(name)\nOBJSENSE\n    MIN\nROWS\n N OBJ\n"
        for r in 0..<p.rowCount {
            let (lo, up) = (p.rowLower[r], p.rowUpper[r])
            // A row bounded on both sides is a G row with a RANGES entry.
            let type = lo == up ? "E" : lo.isInfinite ? "L" : "G"
            out += " \(type) \(p.rowNames[r])\n"
        }
        out += "COLUMNS\n"
        var inInteger = false, markers = 0
        for i in 0..<p.columnCount {
            if p.isInteger[i] != inInteger {
                out += " MARKER\(markers) 'MARKER' '\(p.isInteger[i] ? "INTORG" : "INTEND")'\n"
                markers += 1
                inInteger = p.isInteger[i]
            }
            let column = p.columnNames[i]
            if p.objective[i] != 0 || p.columnStart[i] == p.columnStart[i + 1] { out += " \(column) OBJ \(number(p.objective[i]))\n" }
            for (row, value) in p.entries(ofColumn: i) { out += " \(column) \(p.rowNames[row]) \(number(value))\n" }
        }
        if inInteger { out += " MARKER\(markers) 'MARKER' 'INTEND'\n" }
        out += "RHS\n"
        for r in 0..<p.rowCount {
            let (lo, up) = (p.rowLower[r], p.rowUpper[r])
            let rhs = lo.isInfinite ? up : lo
            if rhs != 0 && !rhs.isInfinite { out += " RHS \(p.rowNames[r]) \(number(rhs))\n" }
        }
        let ranged = (0..<p.rowCount).filter { !p.rowLower[$0].isInfinite && !p.rowUpper[$0].isInfinite && p.rowLower[$0] != p.rowUpper[$0] }
        if !ranged.isEmpty {
            out += "RANGES\n"
            for r in ranged { out += " RNG \(p.rowNames[r]) \(number(p.rowUpper[r] - p.rowLower[r]))\n" }
        }
        out += "BOUNDS\n"
        for i in 0..<p.columnCount {
            let column = p.columnNames[i], (lo, up) = (p.columnLower[i], p.columnUpper[i])
            if lo.isInfinite && up.isInfinite { out += " FR BND \(column)\n"; continue }
            if lo != 0 { out += lo.isInfinite ? " MI BND \(column)\n" : " LO BND \(column) \(number(lo))\n" }
            out += up.isInfinite ? " PL BND \(column)\n" : " UP BND \(column) \(number(up))\n"
        }
        out += "ENDATA\n"
        return out
    }

    /// Writes the program, whole or not at all.
    public static func write(_ p: SparseProgram, name: String, to path: String) throws {
        try text(p, name: name).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Shortest text that reads back as the same double.
    static func number(_ x: Double) -> String { "\(x)" }
}
