import XCTest
@testable import TepatData
import TepatRandom

/// A valid household row; tests override single values to make one problem each.
func householdRow(_ id: String, _ overrides: [String: String] = [:]) -> [String: String] {
    var row: [String: String] = [
        "household_id": id, "kode_desa": "35.14.01.2001", "head_nik": "3514012802820001", "members": "4",
        "head_female": "0", "head_age": "41", "head_education": "2", "head_works": "1", "head_sector": "agriculture",
        "children_0_6": "1", "children_7_18": "1", "elderly_60plus": "0", "disabled_members": "0",
        "chronic_ill_members": "0", "children_out_of_school": "0", "house_tenure": "own", "floor_area_m2": "36",
        "floor_material": "cement", "wall_material": "masonry", "roof_material": "tile", "water_source": "pump",
        "lighting": "pln_meter", "electricity_va": "900", "cooking_fuel": "lpg_3kg", "toilet": "own",
        "septic_tank": "1", "owns_land": "1", "owns_other_house": "0", "cattle": "0", "small_livestock": "2",
        "receives_pkh": "0", "receives_bpnt": "0", "receives_pbi": "1", "desil": "",
    ]
    for asset in Schemas.assets { row[asset] = "0" }
    for (k, v) in overrides { row[k] = v }
    return row
}

func householdsCSV(_ rows: [[String: String]], columns: [String] = Schemas.households.columns.map(\.name)) -> String {
    ([columns.joined(separator: ",")] + rows.map { row in columns.map { row[$0] ?? "" }.joined(separator: ",") })
        .joined(separator: "\n") + "\n"
}

final class ValidationTests: XCTestCase {
    func read(_ text: String, schema: FileSchema = Schemas.households, codebook: Codebook? = nil) throws -> (Table, [String]) {
        let dir = ScratchDirectory()
        let reader = try TableReader(path: dir.write(schema.fileName, text), schema: schema, codebook: codebook, displayName: schema.fileName)
        let table = try reader.readAll()
        return (table, reader.problems.problems.map(\.description))
    }

    func testValidRowsLoadIntoTypedColumns() throws {
        let (table, problems) = try read(householdsCSV([householdRow("A"), householdRow("B", ["kode_desa": "3514011001", "floor_area_m2": "45.5", "floor_material": "Earth"])]))
        XCTAssertEqual(problems, [])
        XCTAssertEqual(table.rowCount, 2)
        XCTAssertEqual(table.texts("household_id").values, ["A", "B"])
        XCTAssertEqual(table.regionCodes("kode_desa").map(\.description), ["35.14.01.2001", "35.14.01.1001"])
        XCTAssertEqual(table.numbers("floor_area_m2"), [36, 45.5])
        XCTAssertEqual(table.categoryNames("floor_material"), ["cement", "earth"], "categories match regardless of case")
        XCTAssertEqual(table.integers("desil"), [Table.missingInteger, Table.missingInteger])
        XCTAssertEqual(table.lines, [2, 3])
    }

    /// Problems of every kind, each on its own row, all reported in one pass.
    func testEveryProblemIsReportedWithFileLineColumnAndValue() throws {
        let columns = Schemas.households.columns.map(\.name)
        let col = { (name: String) in columns.firstIndex(of: name)! + 1 }
        var text = householdsCSV([
            householdRow("H1"),
            householdRow("H2", ["members": "four"]),                     // wrong type
            householdRow("H3", ["kode_desa": "35.14.01.5001"]),           // bad region code
            householdRow("H1"),                                           // duplicate id
            householdRow("H5", ["floor_material": "marble"]),             // unknown category
            householdRow("H6", ["floor_area_m2": "\"1.234,5\""]),         // comma decimal (quoted, as Excel writes it)
            householdRow("H7", ["children_out_of_school": "2"]),          // more than children 7–18
            householdRow("H8", ["head_nik": "35140128028200"]),           // NIK malformed: masked
            householdRow("H9", ["head_age": ""]),                         // missing value
        ])
        text += "H10,35.14.01.2001,1\n"                                   // ragged row
        text += "\"H11,35.14.01.2001\n"                                   // quote never closed
        let (table, problems) = try read(text)
        XCTAssertEqual(table.rowCount, 1, "only the clean row is kept")
        XCTAssertEqual(problems, [
            "households.csv:3:\(col("members")): members = \"four\": expected a whole number from 1 to 60",
            "households.csv:4:\(col("kode_desa")): kode_desa = \"35.14.01.5001\": the desa/kelurahan part must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)",
            "households.csv:5:\(col("household_id")): household_id = \"H1\": duplicate household_id (first on line 2)",
            "households.csv:6:\(col("floor_material")): floor_material = \"marble\": unknown category; expected one of: ceramic, tile, wood_high, cement, bamboo, wood_low, earth, other",
            "households.csv:7:\(col("floor_area_m2")): floor_area_m2 = \"1.234,5\": use . as the decimal mark and no thousands separator; expected a number > 0",
            "households.csv:8:\(col("children_out_of_school")): children_out_of_school = \"2 > children_7_18 1\": children out of school cannot outnumber children aged 7–18",
            "households.csv:9:\(col("head_nik")): head_nik = \"351401********\": expected a NIK of 16 digits",
            "households.csv:10:\(col("head_age")): head_age = \"\": value missing; expected a whole number from 10 to 110",
            "households.csv:11:4: this row has 3 fields but the header has \(columns.count)",
            "households.csv:12:1: household_id: a quote opened here (line 12) is never closed",
        ])
        XCTAssertFalse(problems.joined().contains("35140128028200"), "a NIK never appears in a message")
    }

    func testMissingAndDuplicateColumnsStopTheFileWithEveryHeaderProblem() throws {
        var columns = Schemas.households.columns.map(\.name).filter { $0 != "members" && $0 != "toilet" }
        columns.append("cattle")
        XCTAssertThrowsError(try read(householdsCSV([householdRow("A")], columns: columns))) { error in
            let lines = "\(error)".split(separator: "\n").map(String.init)
            XCTAssertEqual(lines, [
                "households.csv:1:\(columns.count): cattle: duplicate column name (also column \(columns.firstIndex(of: "cattle")! + 1))",
                "households.csv:1: members: missing required column; expected a whole number from 1 to 60",
                "households.csv:1: toilet: missing required column; expected one of: own, shared, public, none",
            ])
        }
    }

    func testNonFiniteAndOutOfRangeNumbers() throws {
        let (_, problems) = try read(householdsCSV([
            householdRow("A", ["floor_area_m2": "1e309"]),
            householdRow("B", ["floor_area_m2": "NaN"]),
            householdRow("C", ["floor_area_m2": "0"]),
            householdRow("D", ["cattle": "-2"]),
            householdRow("E", ["members": "2.5"]),
            householdRow("F", ["floor_area_m2": "twelve"]),
        ]))
        let c = Schemas.households.columns.map(\.name)
        XCTAssertEqual(problems, [
            "households.csv:2:\(c.firstIndex(of: "floor_area_m2")! + 1): floor_area_m2 = \"1e309\": not a finite number; expected a number > 0",
            "households.csv:3:\(c.firstIndex(of: "floor_area_m2")! + 1): floor_area_m2 = \"NaN\": not a finite number; expected a number > 0",
            "households.csv:4:\(c.firstIndex(of: "floor_area_m2")! + 1): floor_area_m2 = \"0\": expected a number > 0",
            "households.csv:5:\(c.firstIndex(of: "cattle")! + 1): cattle = \"-2\": expected a whole number ≥ 0",
            "households.csv:6:\(c.firstIndex(of: "members")! + 1): members = \"2.5\": expected a whole number from 1 to 60 (not a fraction)",
            "households.csv:7:\(c.firstIndex(of: "floor_area_m2")! + 1): floor_area_m2 = \"twelve\": expected a number > 0",
        ])
    }

    func testLatin1TextIsRejectedWithAHint() throws {
        let dir = ScratchDirectory()
        var bytes = Array("kode_desa,nama_desa,nama_kecamatan,nama_kabkota\n35.14.01.2001,Caf".utf8)
        bytes += [0xE9] + Array(",Kec,Kab\n".utf8)
        let reader = try TableReader(path: dir.write("villages.csv", bytes: bytes), schema: Schemas.villages, displayName: "villages.csv")
        _ = try reader.readAll()
        XCTAssertEqual(reader.problems.problems.map(\.description), [
            "villages.csv:2:2: nama_desa = \"Caf\\xE9\": not valid UTF-8 text (control character, NUL or byte-order mark; is the file Latin-1? save it as \"CSV UTF-8\")",
        ])
    }

    func testListsAndKecamatanCodes() throws {
        let text = """
            opd_id,name,pillars,capacity,kecamatan
            DINSOS,Dinas Sosial,social|Health,2,
            DLH,Dinas Lingkungan Hidup,environment|roads,,
            DISKAN,Dinas Perikanan,economy,1,35.14.01|35.14.1

            """
        let (table, problems) = try read(text, schema: Schemas.opds)
        XCTAssertEqual(problems, [
            "opds.csv:3:3: pillars = \"environment|roads\": unknown value 'roads'; expected values separated by | from: health, education, housing, economy, environment, social",
            "opds.csv:4:5: kecamatan = \"35.14.01|35.14.1\": '35.14.1' is not a kecamatan code; expected kecamatan codes like 35.14.01 separated by |",
        ])
        XCTAssertEqual(table.integers("capacity"), [2])
    }

    func testDefaultsFillAbsentOptionalColumns() throws {
        let text = "funder_id,name,kind,budget_rp,pillars\nAPBD,APBD,apbd,5000000000,health\n"
        let (table, problems) = try read(text, schema: Schemas.funders)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(table.numbers("max_share_per_village"), [1])
        XCTAssertFalse(table.has("kecamatan"))
    }

    /// A raw PBDT 2015 export and its named-category twin load into the same table.
    func testRawLayoutThroughCodebookEqualsNamedTwin() throws {
        let codebook = try Codebook.pbdt2015()
        let named = householdsCSV([
            householdRow("A"),
            householdRow("B", ["floor_material": "earth", "wall_material": "bamboo", "roof_material": "thatch", "water_source": "river",
                               "lighting": "none", "electricity_va": "0", "cooking_fuel": "firewood", "toilet": "none", "septic_tank": "0",
                               "head_female": "1", "head_education": "0", "head_sector": "fishery", "house_tenure": "rent_free",
                               "cattle": "3", "small_livestock": "0", "has_boat": "1", "receives_pkh": "1", "desil": "1"]),
        ])
        let raw = """
            idbdt,kode_wilayah,nik_krt,jumlah_art,jnskel_krt,umur_krt,ijazah_krt,sta_bekerja_krt,lapangan_usaha_krt,jumlah_anak_0_6,jumlah_anak_7_18,jumlah_lansia,jumlah_disabilitas,jumlah_penyakit_kronis,jumlah_anak_tidak_sekolah,sta_bangunan,luas_lantai,lantai,dinding,atap,sumber_airminum,sumber_penerangan,daya,bb_masak,fasbab,buang_tinja,ada_lemari_es,ada_ac,ada_pemanas,ada_tv,ada_emas,ada_laptop,ada_telepon,ada_sepeda,ada_motor,ada_mobil,ada_perahu,ada_perahu_motor,aset_tak_bergerak,rumah_lain,jumlah_sapi,jumlah_kerbau,jumlah_kuda,jumlah_babi,jumlah_kambing,sta_pkh,sta_rastra,sta_kis,status_kesejahteraan
            A,3514012001,3514012802820001,4,1,41,3,1,1,1,1,0,0,0,0,1,36,4,1,4,5,1,2,3,1,1,2,2,2,2,2,2,2,2,2,2,2,2,1,3,0,0,0,0,2,2,3,1,
            B,3514012001,3514012802820001,4,2,41,1,1,4,1,1,0,0,0,0,3,36,8,6,9,10,3,0,8,4,3,2,2,2,2,2,2,2,2,2,2,1,2,1,3,2,1,0,,0,1,3,1,1

            """
        let (fromNamed, namedProblems) = try read(named)
        let (fromRaw, rawProblems) = try read(raw, codebook: codebook)
        XCTAssertEqual(namedProblems, [])
        XCTAssertEqual(rawProblems, [])
        XCTAssertEqual(fromRaw.rowCount, 2)
        for spec in Schemas.households.columns {
            switch spec.kind.storage {
            case .integer: XCTAssertEqual(fromRaw.integers(spec.name), fromNamed.integers(spec.name), spec.name)
            case .number: XCTAssertEqual(fromRaw.numbers(spec.name), fromNamed.numbers(spec.name), spec.name)
            case .text: XCTAssertEqual(fromRaw.texts(spec.name), fromNamed.texts(spec.name), spec.name)
            case .region: XCTAssertEqual(fromRaw.regionValues(spec.name), fromNamed.regionValues(spec.name), spec.name)
            case .none: continue
            }
        }
    }

    func testUnknownCodeNamesColumnCodeAndLine() throws {
        let codebook = Codebook(name: "test", sources: ["floor_material": ["lantai"]], codes: ["floor_material": ["1": "ceramic", "8": "earth"]])
        var columns = Schemas.households.columns.map(\.name)
        columns[columns.firstIndex(of: "floor_material")!] = "lantai"
        var row = householdRow("A")
        row["lantai"] = "11"
        let (_, problems) = try read(householdsCSV([row], columns: columns), codebook: codebook)
        XCTAssertEqual(problems, ["households.csv:2:\(columns.firstIndex(of: "lantai")! + 1): lantai = \"11\": code not in codebook test; known codes: 1, 8"])
    }

    func testCodebookErrorsNameTheKeyAndLine() {
        XCTAssertThrowsError(try Codebook.parse("name: x\ncolums:\n  a: b\n", displayName: "cb.yaml")) {
            XCTAssertEqual("\($0)", "cb.yaml:2: unknown key 'colums'; expected one of: name, yes_no, columns")
        }
        XCTAssertThrowsError(try Codebook.parse("columns:\n  floor: lantai\n", displayName: "cb.yaml")) {
            XCTAssertEqual("\($0)", "cb.yaml:2: 'floor' is not a Tepat input column (Docs/data.md)")
        }
    }
}

final class DataDirectoryTests: XCTestCase {
    func testCrossFileChecksAndSkipMode() throws {
        let dir = ScratchDirectory()
        dir.write("villages.csv", "kode_desa,nama_desa,nama_kecamatan,nama_kabkota\n35.14.01.2001,Desa A,Kec A,Kabupaten Pasuruan\n")
        dir.write("households.csv", householdsCSV([householdRow("A"), householdRow("B", ["kode_desa": "33.18.01.2001"])]))
        dir.write("opds.csv", "opd_id,name,pillars,capacity,kecamatan\nDINSOS,Dinas Sosial,social,1,35.14.02\n")
        XCTAssertThrowsError(try DataDirectory.load(dir.path)) { error in
            XCTAssertEqual("\(error)", """
                households.csv:3: kode_desa = "33.18.01.2001": village not in villages.csv; villages.csv covers Kabupaten Pasuruan 35.14
                opds.csv:2: kecamatan = "35.14.02": kecamatan not among the villages of villages.csv (Kabupaten Pasuruan 35.14)
                """)
        }
        let skipped = try DataDirectory.load(dir.path, onError: .skip)
        XCTAssertEqual(skipped.households.rowCount, 1)
        XCTAssertEqual(skipped.problems.count, 2)
        XCTAssertEqual(skipped.files.first { $0.name == "households.csv" }, LoadedFile(name: "households.csv", path: dir.path + "/households.csv", rows: 1, rejected: 1))
    }

    func testMissingHouseholdsFile() {
        let dir = ScratchDirectory()
        let result = DataDirectory.validate(dir.path)
        XCTAssertEqual(result.problems.problems.map(\.description), ["households.csv: required file is missing from \(dir.path)"])
    }
}

/// The streamed run's duplicate check against a dictionary.
final class DuplicateFinderTests: XCTestCase {
    func testFindsEveryRepeatWithItsFirstLine() throws {
        let directory = NSTemporaryDirectory() + "tepat-duplicates-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var random = Xoshiro256(splitMixFrom: 11)  // seeded: the same ids on every run
        let finder = try DuplicateFinder(directory: directory, partitionBits: 3)
        var firstLine: [String: Int] = [:]
        var expected: [(Int, Int)] = []
        for line in 2..<60_000 {
            // About one id in 50 repeats an earlier one.
            let id = Int.random(in: 0..<50, using: &random) == 0 && !firstLine.isEmpty
                ? "RT-\(Int.random(in: 2..<line, using: &random) * 7)" : "RT-\(line * 7)"
            if let first = firstLine[id] { expected.append((line, first)) } else { firstLine[id] = line }
            Array(id.utf8).withUnsafeBufferPointer { finder.add(id: $0, line: line) }
        }
        let found = try finder.finish()
        XCTAssertGreaterThan(expected.count, 100)
        XCTAssertEqual(found.map(\.line), expected.map(\.0))
        XCTAssertEqual(found.map(\.firstLine), expected.map(\.1))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [], "partition files are removed")
    }
}
