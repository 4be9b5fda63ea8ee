/// The input contract of Docs/data.md, one schema per file of a DATA_DIR.
public enum Schemas {
    public static let pillars = ["health", "education", "housing", "economy", "environment", "social"]

    public static let sectors = ["agriculture", "fishery", "industry", "construction", "trade", "services", "other", "none"]
    public static let tenures = ["own", "rent", "rent_free", "official", "other"]
    public static let floors = ["ceramic", "tile", "wood_high", "cement", "bamboo", "wood_low", "earth", "other"]
    public static let walls = ["masonry", "plaster_bamboo", "wood", "bamboo", "other"]
    public static let roofs = ["concrete", "tile", "asbestos", "zinc", "bamboo", "thatch", "other"]
    public static let waterSources = [
        "bottled", "piped", "pump", "protected_well", "unprotected_well", "protected_spring",
        "unprotected_spring", "river", "rain", "other",
    ]
    public static let lightings = ["pln_meter", "pln_no_meter", "non_pln", "none"]
    public static let cookingFuels = ["electricity", "lpg_large", "lpg_3kg", "biogas", "kerosene", "charcoal", "firewood", "none"]
    public static let toilets = ["own", "shared", "public", "none"]
    /// PLN connection sizes; 3500 stands for 3500 VA and above.
    public static let electricityVA = ["0", "450", "900", "1300", "2200", "3500"]
    public static let assets = [
        "has_refrigerator", "has_ac", "has_water_heater", "has_tv", "has_gold_10g", "has_computer",
        "has_smartphone", "has_bicycle", "has_motorcycle", "has_car", "has_boat", "has_motorboat",
    ]
    public static let idmStatuses = ["sangat_tertinggal", "tertinggal", "berkembang", "maju", "mandiri"]
    public static let funderKinds = ["apbd", "apbdes", "csr", "zakat", "other"]
    public static let deprivations = ["housing", "sanitation", "water", "energy", "schooling", "health", "livelihood", "social_care"]

    static let count = ColumnKind.integer(0...Int(Int32.max))
    static let positive = ColumnKind.number(minimum: 0, exclusiveMinimum: true, maximum: .infinity)
    static let nonNegative = ColumnKind.number(minimum: 0, exclusiveMinimum: false, maximum: .infinity)

    /// Household indicators shared by households.csv and survey.csv.
    static let indicatorColumns: [ColumnSpec] = [
        ColumnSpec("household_id", .identifier),
        ColumnSpec("kode_desa", .village),
        ColumnSpec("head_nik", .nik, required: false),
        ColumnSpec("members", .integer(1...60)),
        ColumnSpec("head_female", .binary),
        ColumnSpec("head_age", .integer(10...110)),
        ColumnSpec("head_education", .integer(0...5)),
        ColumnSpec("head_works", .binary),
        ColumnSpec("head_sector", .category(sectors)),
        ColumnSpec("children_0_6", count),
        ColumnSpec("children_7_18", count),
        ColumnSpec("elderly_60plus", count),
        ColumnSpec("disabled_members", count),
        ColumnSpec("chronic_ill_members", count),
        ColumnSpec("children_out_of_school", count),
        ColumnSpec("house_tenure", .category(tenures)),
        ColumnSpec("floor_area_m2", positive),
        ColumnSpec("floor_material", .category(floors)),
        ColumnSpec("wall_material", .category(walls)),
        ColumnSpec("roof_material", .category(roofs)),
        ColumnSpec("water_source", .category(waterSources)),
        ColumnSpec("lighting", .category(lightings)),
        ColumnSpec("electricity_va", .category(electricityVA)),
        ColumnSpec("cooking_fuel", .category(cookingFuels)),
        ColumnSpec("toilet", .category(toilets)),
        ColumnSpec("septic_tank", .binary),
    ] + assets.map { ColumnSpec($0, .binary) } + [
        ColumnSpec("owns_land", .binary),
        ColumnSpec("owns_other_house", .binary),
        ColumnSpec("cattle", count),
        ColumnSpec("small_livestock", count),
        ColumnSpec("receives_pkh", .binary),
        ColumnSpec("receives_bpnt", .binary),
        ColumnSpec("receives_pbi", .binary),
        ColumnSpec("desil", .integer(1...10), required: false),
    ]

    static let householdRules = [
        RowRule(parts: ["children_out_of_school"], total: "children_7_18",
                message: "children out of school cannot outnumber children aged 7–18"),
        RowRule(parts: ["children_0_6", "children_7_18", "elderly_60plus"], total: "members",
                message: "children and elderly together cannot outnumber the members"),
        RowRule(parts: ["disabled_members"], total: "members", message: "disabled members cannot outnumber the members"),
        RowRule(parts: ["chronic_ill_members"], total: "members", message: "chronically ill members cannot outnumber the members"),
    ]

    /// What a village meeting decided of a household (`tepat verify apply`
    /// writes it); a household decided is not listed for verification again.
    public static let verificationDecisions = ["layak", "tidak_layak"]

    public static let households = FileSchema(
        fileName: "households.csv",
        columns: indicatorColumns + [ColumnSpec("verifikasi", .category(verificationDecisions), required: false)],
        rowRules: householdRules)

    public static let survey = FileSchema(
        fileName: "survey.csv",
        columns: indicatorColumns + [
            ColumnSpec("consumption_pc", positive),
            ColumnSpec("weight", positive, required: false, default: 1),
        ],
        rowRules: householdRules)

    public static let villages = FileSchema(fileName: "villages.csv", columns: [
        ColumnSpec("kode_desa", .village, unique: true),
        ColumnSpec("nama_desa", .text),
        ColumnSpec("nama_kecamatan", .text),
        ColumnSpec("nama_kabkota", .text),
        ColumnSpec("population", count, required: false),
        ColumnSpec("coastal", .binary, required: false),
        ColumnSpec("lat", .number(minimum: -90, exclusiveMinimum: false, maximum: 90), required: false),
        ColumnSpec("lon", .number(minimum: -180, exclusiveMinimum: false, maximum: 180), required: false),
        ColumnSpec("idm_status", .category(idmStatuses), required: false),
    ])

    public static let opds = FileSchema(fileName: "opds.csv", columns: [
        ColumnSpec("opd_id", .identifier),
        ColumnSpec("name", .text),
        ColumnSpec("pillars", .list(pillars)),
        ColumnSpec("capacity", .integer(1...100_000), required: false, default: 1),
        ColumnSpec("kecamatan", .kecamatanList, required: false),
    ])

    public static let funders = FileSchema(fileName: "funders.csv", columns: [
        ColumnSpec("funder_id", .identifier),
        ColumnSpec("name", .text),
        ColumnSpec("kind", .category(funderKinds)),
        ColumnSpec("budget_rp", nonNegative),
        ColumnSpec("pillars", .list(pillars)),
        ColumnSpec("kecamatan", .kecamatanList, required: false),
        ColumnSpec("max_share_per_village", .number(minimum: 0, exclusiveMinimum: true, maximum: 1), required: false, default: 1),
    ])

    public static let programs = FileSchema(fileName: "programs.csv", columns: [
        ColumnSpec("program_id", .identifier),
        ColumnSpec("pillar", .category(pillars)),
        ColumnSpec("unit_cost_rp", positive),
        ColumnSpec("deprivation", .category(deprivations)),
        ColumnSpec("uplift_pc", nonNegative),
    ])

    /// Written by `tepat generate` so accuracy can be measured; not part of a real extract.
    public static let truth = FileSchema(fileName: "truth.csv", columns: [
        ColumnSpec("household_id", .identifier),
        ColumnSpec("consumption_pc", positive),
    ])

    public static let all = [households, survey, villages, opds, funders, programs, truth]
}
