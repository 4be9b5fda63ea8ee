/// Excel's A1 names of columns and cells.
public enum CellReference {
    /// Excel's last column, XFD.
    public static let maximumColumn = 16_384

    /// "A" for 1, "Z" for 26, "AA" for 27.
    public static func columnName(_ column: Int) -> String {
        precondition(column >= 1)
        var n = column
        var letters: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + r))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    /// "E5" for row 5, column 5.
    public static func name(row: Int, column: Int) -> String { columnName(column) + String(row) }

    /// The 1-based column of a reference such as "E5" or "AB12" (its letters),
    /// nil when it has none or names a column past XFD.
    static func column(of reference: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference {
            let upper = byte & 0xDF
            guard upper >= 65 && upper <= 90 else { break }
            column = column * 26 + Int(upper - 64)
            letters += 1
            if column > maximumColumn { return nil }
        }
        return letters > 0 ? column : nil
    }
}
