import Foundation

/// How a schema column's fields become values, chosen once per column from
/// its kind and the codebook.
extension TableReader {
    enum Decoder {
        case integer(ClosedRange<Int>)
        /// Tokens → value (category index, or 0/1).
        case tokens(TokenTable)
        case number(minimum: Double, exclusive: Bool, maximum: Double)
        case text(identifier: Bool)
        case village
        case nik
        case list(Set<String>)
        case kecamatanList
    }

    static func decoder(for spec: ColumnSpec, codebook: Codebook?) -> Decoder {
        let codes = codebook?.codes[spec.name]
        switch spec.kind {
        case .integer(let range):
            if let codes {  // coded whole numbers, e.g. PBDT's ijazah 1–6 → head_education 0–5
                return .tokens(TokenTable(codes.compactMap { code, value in
                    Int32(value).map { (Array(code.utf8), $0) }
                }.sorted { $0.0.lexicographicallyPrecedes($1.0) }))
            }
            return .integer(range)
        case .binary:
            if let codes {
                return .tokens(TokenTable(codes.map { (Array($0.key.utf8), Int32($0.value) ?? 0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }))
            }
            if let codebook, codebook.sources[spec.name] != nil {
                return .tokens(TokenTable(codebook.yes.map { (Array($0.utf8), Int32(1)) } + codebook.no.map { (Array($0.utf8), Int32(0)) }))
            }
            return .tokens(TokenTable([(Array("0".utf8), Int32(0)), (Array("1".utf8), Int32(1))]))
        case .category(let levels):
            if let codes {
                let table = codes.compactMap { code, level -> ([UInt8], Int32)? in
                    guard let i = levels.firstIndex(of: level) else { return nil }
                    return (Array(code.utf8), Int32(i))
                }
                return .tokens(TokenTable(table.sorted { $0.0.lexicographicallyPrecedes($1.0) }))
            }
            return .tokens(TokenTable(levels.enumerated().map { (Array($1.utf8), Int32($0)) }))
        case let .number(minimum, exclusive, maximum):
            return .number(minimum: minimum, exclusive: exclusive, maximum: maximum)
        case .identifier: return .text(identifier: true)
        case .text: return .text(identifier: false)
        case .village: return .village
        case .nik: return .nik
        case .list(let allowed): return .list(Set(allowed))
        case .kecamatanList: return .kecamatanList
        }
    }
}

extension TableReader.Decoder {
    var isIdentifier: Bool { if case .text(true) = self { return true } else { return false } }
}
