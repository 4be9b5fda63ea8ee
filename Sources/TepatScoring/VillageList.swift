import TepatData

/// The villages a run scores: those of villages.csv when given (names, status,
/// coordinates), else every village code found in households.csv. Order is by
/// code, so village indices are the same on every run.
public struct VillageList: Sendable {
    public let codes: [RegionCode]
    public let names: [String]
    public let kecamatanNames: [String]
    public let kabupatenNames: [String]
    public let lat: [Double]
    public let lon: [Double]
    /// IDM status or "" (kelurahan, or not given).
    public let idmStatus: [String]
    /// villages.csv's population, NaN where not given.
    public let population: [Double]
    public let index: [Int64: Int32]

    public init(villages: Table?, households: Table?) {
        var rows: [(code: RegionCode, name: String, kecamatan: String, kabupaten: String, lat: Double, lon: Double, idm: String, population: Double)] = []
        if let villages {
            let codes = villages.regionCodes("kode_desa"), names = villages.texts("nama_desa")
            let kecamatan = villages.texts("nama_kecamatan"), kabupaten = villages.texts("nama_kabkota")
            let lat = villages.numbers("lat"), lon = villages.numbers("lon"), idm = villages.categoryNames("idm_status")
            let population = villages.integers("population").map { $0 == Table.missingInteger ? Double.nan : Double($0) }
            for i in 0..<villages.rowCount {
                rows.append((codes[i], names[i], kecamatan[i], kabupaten[i], lat[i], lon[i], idm[i], population[i]))
            }
        } else if let households {
            for code in Set(households.regionValues("kode_desa")) {
                let c = RegionCode(value: code, level: .village)!
                rows.append((c, c.description, c.kecamatan.description, c.kabupaten.description, .nan, .nan, "", .nan))
            }
        }
        rows.sort { $0.code.value < $1.code.value }
        codes = rows.map(\.code)
        names = rows.map(\.name)
        kecamatanNames = rows.map(\.kecamatan)
        kabupatenNames = rows.map(\.kabupaten)
        lat = rows.map(\.lat)
        lon = rows.map(\.lon)
        idmStatus = rows.map(\.idm)
        population = rows.map(\.population)
        index = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.code.value, Int32($0)) })
    }

    public var count: Int { codes.count }
}
