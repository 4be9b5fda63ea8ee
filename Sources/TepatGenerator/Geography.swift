import Foundation
import TepatData

/// One village of the generated kabupaten, with the effects that drive its
/// households' welfare.
struct Village {
    let code: RegionCode
    let name: String
    let kecamatanName: String
    let kabupatenName: String
    let lat: Double
    let lon: Double
    var coastal: Bool
    /// Welfare shift the household indicators reflect (infrastructure, market access).
    var visibleEffect: Double = 0
    /// Welfare shift the indicators do not reveal (prices, local labour markets):
    /// the village effect η_v the small-area model has to estimate.
    var hiddenEffect: Double = 0
    var households = 0
}

/// The villages of a real kabupaten/kota (or province) read from a Kemendagri list
/// in the format of `shared/data/wilayah_desa.csv`.
enum Geography {
    static let villageListSchema = FileSchema(fileName: "villages list", columns: [
        ColumnSpec("kode_desa", .village),
        ColumnSpec("nama_desa", .text),
        ColumnSpec("nama_kecamatan", .text),
        ColumnSpec("nama_kabkota", .text),
        ColumnSpec("lat", .number(minimum: -90, exclusiveMinimum: false, maximum: 90), required: false),
        ColumnSpec("lon", .number(minimum: -180, exclusiveMinimum: false, maximum: 180), required: false),
    ])

    /// The villages of `region` in a Kemendagri list; nil: every village.
    static func realVillages(region: RegionCode?, path: String) throws -> [Village] {
        let reader = try TableReader(path: path, schema: villageListSchema, displayName: path)
        let table = try reader.readAll()
        if !reader.problems.isEmpty { throw DataErrors(reader.problems) }
        let codes = table.regionCodes("kode_desa")
        let names = table.texts("nama_desa"), kecamatan = table.texts("nama_kecamatan"), kabupaten = table.texts("nama_kabkota")
        let lat = table.numbers("lat"), lon = table.numbers("lon")
        var villages: [Village] = []
        for i in 0..<table.rowCount where region?.contains(codes[i]) ?? true {
            villages.append(Village(
                code: codes[i], name: names[i], kecamatanName: kecamatan[i], kabupatenName: kabupaten[i],
                lat: lat[i], lon: lon[i], coastal: false))
        }
        guard !villages.isEmpty else {
            throw DataErrors(DataProblem(file: path, message: "no village of region \(region?.description ?? "ID") in this list; check --region (e.g. 35.14 for Kabupaten Pasuruan)"))
        }
        return villages.sorted { $0.code.value < $1.code.value }
    }

    /// A fictional kabupaten: `count` villages in kecamatan of about 16, the first
    /// kecamatan (the capital) made of kelurahan, names from Javanese syllables,
    /// and points scattered around a centre in East Java.
    static func syntheticVillages(region: RegionCode, count: Int, rng: inout SeededRandom) -> [Village] {
        // About 16 villages a kecamatan, but a kabupaten code has room for 99
        // kecamatan: larger areas get larger kecamatan (4,000 villages crashed).
        let kecamatanCount = min(99, max(1, (count + 15) / 16))
        let kabupatenName = region.level == .kabupaten ? "Kabupaten Tepat Contoh" : "Wilayah Contoh"
        var villages: [Village] = []
        var perKecamatan = [Int](repeating: 0, count: kecamatanCount)
        let centre = (lat: -7.65, lon: 112.75)
        let kecamatanCentres = (0..<kecamatanCount).map { k -> (Double, Double) in
            let angle = Double(k) * 2.399963  // golden angle: an even spread
            let radius = 0.04 * Double(k).squareRoot()
            return (centre.lat + radius * sin(angle), centre.lon + radius * cos(angle))
        }
        for i in 0..<count {
            let k = i % kecamatanCount
            perKecamatan[k] += 1
            let urban = k == 0
            let number = (urban ? 1000 : 2000) + perKecamatan[k]
            let kecamatanCode = RegionCode(value: region.ancestor(.kabupaten).value * 100 + Int64(k + 1), level: .kecamatan)!
            let code = RegionCode(value: kecamatanCode.value * 10_000 + Int64(number), level: .village)!
            let (clat, clon) = kecamatanCentres[k]
            villages.append(Village(
                code: code, name: Names.place(i * 3 + 1), kecamatanName: Names.place(k * 11 + 5),
                kabupatenName: kabupatenName,
                lat: clat + 0.012 * rng.normal(), lon: clon + 0.012 * rng.normal(), coastal: false))
        }
        return villages.sorted { $0.code.value < $1.code.value }
    }
}
