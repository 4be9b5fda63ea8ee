import TepatData
import TepatScoring

/// The few indicators behind a disagreement, in the words a village meeting
/// uses: for a household the model finds poorer than the registry says, the
/// indicators that pull its predicted welfare down most; for one it finds
/// richer, those that push it up most (`WelfareContributions`).
enum Evidence {
    /// Indicators quoted per household.
    static let indicators = 3
    /// Contributions smaller than this (in log points, about 1% of welfare) are
    /// not evidence of anything.
    static let smallest = 0.01

    /// "lantai tanah, tanpa jamban, 6 anggota"; empty when no indicator moves
    /// the prediction by `smallest`.
    static func text(_ h: HouseholdColumns, household i: Int, contributions: WelfareContributions, poorer: Bool) -> String {
        let parts = contributions.contributions(h, household: i)
            .filter { poorer ? $0.logPoints <= -smallest : $0.logPoints >= smallest }
            .sorted { abs($0.logPoints) > abs($1.logPoints) }
            .prefix(indicators)
        return parts.compactMap { phrase($0.column, h, i) }.joined(separator: ", ")
    }

    /// The household's value of `column`, in Indonesian.
    static func phrase(_ column: String, _ h: HouseholdColumns, _ i: Int) -> String? {
        switch column {
        case "members": return "\(Int(h.members[i])) anggota"
        case "floor_area_m2": return "luas lantai \(Int((h.floorArea[i] / h.members[i]).rounded())) m²/orang"
        case "head_age": return "kepala berumur \(h["head_age"][i]) tahun"
        case "head_education": return education[Int(h["head_education"][i])]
        case "electricity_va":
            let va = Schemas.electricityVA[Int(h["electricity_va"][i])]
            return va == "0" ? "tanpa listrik PLN" : va == "3500" ? "listrik PLN ≥3500 VA" : "listrik PLN \(va) VA"
        case "cattle", "small_livestock":
            let n = h[column][i]
            return n == 0 ? (column == "cattle" ? "tanpa sapi/kerbau" : "tanpa kambing/domba")
                : "\(n) " + (column == "cattle" ? "sapi/kerbau" : "kambing/domba")
        default:
            if let counted = counts[column] {
                let n = h[column][i]
                return n == 0 ? "tanpa \(counted)" : "\(n) \(counted)"
            }
            if let (yes, no) = binaries[column] { return h[column][i] == 1 ? yes : no }
            if let names = levels[column], case .category(let all) = Schemas.households.spec(column).kind {
                let code = Int(h[column][i])
                return code >= 0 && code < all.count ? names[all[code]] : nil
            }
            return nil
        }
    }

    static let education = ["kepala tidak tamat SD", "kepala tamat SD", "kepala tamat SMP", "kepala tamat SMA/SMK",
                            "kepala tamat diploma", "kepala tamat S1 atau lebih"]

    static let counts = [
        "children_0_6": "anak 0–6 tahun", "children_7_18": "anak 7–18 tahun", "elderly_60plus": "lansia",
        "disabled_members": "anggota penyandang disabilitas", "chronic_ill_members": "anggota sakit kronis",
        "children_out_of_school": "anak tidak sekolah",
    ]

    static let binaries: [String: (String, String)] = [
        "head_female": ("kepala perempuan", "kepala laki-laki"), "head_works": ("kepala bekerja", "kepala tidak bekerja"),
        "septic_tank": ("ada tangki septik", "tanpa tangki septik"), "owns_land": ("punya lahan", "tanpa lahan"),
        "owns_other_house": ("punya rumah lain", "tanpa rumah lain"),
        "has_refrigerator": ("punya kulkas", "tanpa kulkas"), "has_ac": ("punya AC", "tanpa AC"),
        "has_water_heater": ("punya pemanas air", "tanpa pemanas air"), "has_tv": ("punya TV", "tanpa TV"),
        "has_gold_10g": ("punya emas ≥10 g", "tanpa emas"), "has_computer": ("punya komputer", "tanpa komputer"),
        "has_smartphone": ("punya ponsel pintar", "tanpa ponsel pintar"), "has_bicycle": ("punya sepeda", "tanpa sepeda"),
        "has_motorcycle": ("punya sepeda motor", "tanpa sepeda motor"), "has_car": ("punya mobil", "tanpa mobil"),
        "has_boat": ("punya perahu", "tanpa perahu"), "has_motorboat": ("punya perahu motor", "tanpa perahu motor"),
    ]

    static let levels: [String: [String: String]] = [
        "head_sector": ["agriculture": "kepala bertani", "fishery": "kepala nelayan", "industry": "kepala bekerja di industri",
                        "construction": "kepala bekerja di konstruksi", "trade": "kepala berdagang", "services": "kepala bekerja di jasa",
                        "other": "kepala bekerja di sektor lain", "none": "kepala tanpa pekerjaan tetap"],
        "house_tenure": ["own": "rumah milik sendiri", "rent": "rumah sewa", "rent_free": "rumah bebas sewa (menumpang)",
                         "official": "rumah dinas", "other": "status rumah lainnya"],
        "floor_material": ["ceramic": "lantai keramik", "tile": "lantai ubin/tegel", "wood_high": "lantai kayu berkualitas",
                           "cement": "lantai semen", "bamboo": "lantai bambu", "wood_low": "lantai kayu murah",
                           "earth": "lantai tanah", "other": "lantai lainnya"],
        "wall_material": ["masonry": "dinding tembok", "plaster_bamboo": "dinding plesteran anyaman bambu", "wood": "dinding kayu",
                          "bamboo": "dinding bambu", "other": "dinding lainnya"],
        "roof_material": ["concrete": "atap beton", "tile": "atap genteng", "asbestos": "atap asbes", "zinc": "atap seng",
                          "bamboo": "atap bambu", "thatch": "atap jerami/ijuk/rumbia", "other": "atap lainnya"],
        "water_source": ["bottled": "air minum kemasan/isi ulang", "piped": "air ledeng", "pump": "air sumur bor/pompa",
                         "protected_well": "sumur terlindung", "unprotected_well": "sumur tak terlindung",
                         "protected_spring": "mata air terlindung", "unprotected_spring": "mata air tak terlindung",
                         "river": "air sungai/danau", "rain": "air hujan", "other": "sumber air lainnya"],
        "lighting": ["pln_meter": "listrik PLN bermeteran", "pln_no_meter": "listrik PLN tanpa meteran",
                     "non_pln": "listrik non-PLN", "none": "tanpa penerangan listrik"],
        "cooking_fuel": ["electricity": "memasak dengan listrik", "lpg_large": "memasak dengan elpiji ≥5,5 kg",
                         "lpg_3kg": "memasak dengan elpiji 3 kg", "biogas": "memasak dengan biogas", "kerosene": "memasak dengan minyak tanah",
                         "charcoal": "memasak dengan arang", "firewood": "memasak dengan kayu bakar", "none": "tidak memasak"],
        "toilet": ["own": "jamban sendiri", "shared": "jamban bersama", "public": "jamban umum", "none": "tanpa jamban"],
    ]
}
