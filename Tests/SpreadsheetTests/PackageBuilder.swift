import Foundation
import CZlibInflate

/// A hand-made .xlsx package: the parts a reader needs, each XML written out in
/// the test, so that every odd thing a workbook may hold can be tried, zipped by
/// hand too (so a zip can be damaged on purpose).
struct PackageBuilder {
    var parts: [(String, Data)] = []

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>
        """
    static let packageRels = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """
    static let workbookRels = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
        </Relationships>
        """

    /// A workbook of one sheet named `name` with `sheetData` as its rows.
    static func sheet(_ sheetData: String, name: String = "Data", sharedStrings: [String] = []) -> PackageBuilder {
        var b = PackageBuilder()
        b.add("[Content_Types].xml", contentTypes)
        b.add("_rels/.rels", packageRels)
        b.add("xl/_rels/workbook.xml.rels", workbookRels)
        b.add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="\(name)" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        b.add("xl/worksheets/sheet1.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\(sheetData)</sheetData></worksheet>
            """)
        let items = sharedStrings.map { "<si><t>\($0)</t></si>" }.joined()
        b.add("xl/sharedStrings.xml", "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\(items)</sst>")
        return b
    }

    mutating func add(_ path: String, _ text: String) { add(path, Data(text.utf8)) }

    mutating func add(_ path: String, _ data: Data) {
        parts.removeAll { $0.0 == path }
        parts.append((path, data))
    }

    /// A zip of the parts, each deflated (raw, as zip keeps it) with zlib.
    func write(to path: String) throws {
        var file: [UInt8] = [], directory: [UInt8] = []
        for (name, data) in parts {
            let bytes = [UInt8](data), packed = Self.deflate(bytes), nameBytes = Array(name.utf8)
            let crc = UInt32(bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
            let offset = file.count
            file += le(0x0403_4B50, 4) + le(20, 2) + le(0, 2) + le(8, 2) + le(0, 4) + le(Int(crc), 4)
            file += le(packed.count, 4) + le(bytes.count, 4) + le(nameBytes.count, 2) + le(0, 2) + nameBytes + packed
            directory += le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(8, 2) + le(0, 4) + le(Int(crc), 4)
            directory += le(packed.count, 4) + le(bytes.count, 4) + le(nameBytes.count, 2) + le(0, 2) + le(0, 2)
            directory += le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + nameBytes
        }
        let end = le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(parts.count, 2) + le(parts.count, 2)
            + le(directory.count, 4) + le(file.count, 4) + le(0, 2)
        try Data(file + directory + end).write(to: URL(fileURLWithPath: path))
    }

    private func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    static func deflate(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        var source = input
        let produced = source.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { out -> Int in
                stream.next_in = src.baseAddress
                stream.avail_in = uInt(src.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                CZlibInflate.deflate(&stream, Z_FINISH)
                return out.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }
}
