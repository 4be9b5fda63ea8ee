import Foundation
import ZIPFoundation

/// A hand-made .xlsx package: the parts a reader needs, each XML written out in
/// the test, so that every odd thing a workbook may hold can be tried.
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

    func write(to path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, data) in parts {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }
}
